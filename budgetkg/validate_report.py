"""Readable text for a validation result: findings grouped by document, in Chinese, with lines.

The standard SHACL report (Turtle, JSON-LD) comes from budgetkg.validate.Result.report_graph."""

from budgetkg.validate import order_key

SEVERITY_ZH = {"Violation": "违规", "Warning": "警告", "Info": "提示"}
CROSS_DOCUMENT_HEADING = "跨文件检查 (cross-document checks)"


def short(iri):
    """The local name of a shape IRI (after # or the last /)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri else ""


def _finding_lines(finding):
    """Two lines for one finding: severity, place (line, or page/table/row/column), shape and message; then node, value and section."""
    where = finding.get("where_zh") or (f"第 {finding['line']} 行" if finding["line"] is not None else "—")
    head = (f"  {SEVERITY_ZH.get(finding['severity'], finding['severity'])}  {where}  "
            f"[{short(finding['shape'])}]  {finding['message_zh']}")
    detail = f"        节点 <{finding['focus']}>"
    if finding["value"] is not None:
        detail += f"  值 {finding['value']}"
    if finding["section"]:
        detail += f"  章节 {finding['section']}"
    return [head, detail]


def format_text(result):
    """The whole report as text: one block per document, then a summary line."""
    lines, current = [], object()
    for finding in sorted(result.findings, key=lambda f: (f["document"] == "", f["document"], order_key(f))):
        if finding["document"] != current:
            current = finding["document"]
            heading = (f"{finding['document_label'] or ''} <{current}>".strip() if current
                       else CROSS_DOCUMENT_HEADING)
            lines.extend(["" if lines else None, heading])
        lines.extend(_finding_lines(finding))
    violations, warnings = result.count("Violation"), result.count("Warning")
    lines.append("")
    lines.append(f"合计 total: {violations} 个违规 violation(s), {warnings} 个警告 warning(s), "
                 f"{result.graph_count} 个图 graph(s)")
    return "\n".join(line for line in lines if line is not None)

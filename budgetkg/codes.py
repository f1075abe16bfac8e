"""Code lists the ETL emits (figure items, funding sources, comparisons, units of measure).

Each key maps to (zh label, en label); ontology/budgetkg.ttl defines a skos:Concept for every key."""

PHASES = {
    "budget": ("预算", "budget"),
    "final": ("决算", "final account"),
}

# Disclosure levels: a department's consolidated disclosure (部门预算/部门决算) or one unit's own (单位预算/单位决算).
DISCLOSURE_LEVELS = {
    "department": ("部门", "department"),
    "unit": ("单位", "unit"),
}

# Figure items (what a figure measures). Money items are in 万元; quantity items carry their own unit.
ITEMS = {
    # totals (cq02)
    "income_total": ("收入总计", "total income"),
    "expenditure_total": ("支出总计", "total expenditure"),
    "income_this_year": ("本年收入合计", "income of the year"),
    "expenditure_this_year": ("本年支出合计", "expenditure of the year"),
    "fiscal_appropriation_income": ("财政拨款收入", "fiscal appropriation income"),
    "fiscal_appropriation_expenditure": ("财政拨款支出", "fiscal appropriation expenditure"),
    "general_public_budget_expenditure": ("一般公共预算财政拨款支出", "general public budget expenditure"),
    "basic_expenditure": ("基本支出", "basic expenditure"),
    "project_expenditure": ("项目支出", "project expenditure"),
    "personnel_expenditure": ("人员经费", "personnel expenditure"),
    "public_expenditure": ("公用经费", "public (office) expenditure"),
    "carryover_begin": ("年初结转和结余", "carry-over at the beginning of the year"),
    "carryover_end": ("年末结转和结余", "carry-over at the end of the year"),
    # breakdowns
    "income_by_source": ("按来源分收入", "income by funding source"),
    "expenditure_by_type": ("按类型分支出", "expenditure by type"),
    "functional_expenditure": ("功能分类支出", "expenditure by functional classification"),
    "economic_expenditure": ("经济分类支出", "expenditure by economic classification"),
    # key figures (cq06)
    "three_public_total": ("“三公”经费", "three public expenses total"),
    "overseas": ("因公出国（境）费", "official overseas travel"),
    "vehicle_total": ("公务用车购置及运行维护费", "official vehicles, purchase and operation"),
    "vehicle_purchase": ("公务用车购置费", "official vehicle purchase"),
    "vehicle_operation": ("公务用车运行维护费", "official vehicle operation and maintenance"),
    "reception": ("公务接待费", "official reception"),
    "operating_costs": ("机关运行经费", "agency operating costs"),
    "procurement_total": ("政府采购支出总额", "government procurement total"),
    "procurement_goods": ("政府采购货物支出", "government procurement of goods"),
    "procurement_works": ("政府采购工程支出", "government procurement of works"),
    "procurement_services": ("政府采购服务支出", "government procurement of services"),
    "procurement_sme": ("授予中小企业合同金额", "contracts awarded to SMEs"),
    # state assets
    "fixed_assets_value": ("固定资产原值", "fixed assets, original value"),
    "house_area": ("房屋面积", "building floor area"),
    "house_value": ("房屋价值", "building value"),
    "vehicle_count": ("车辆数", "number of vehicles"),
    "vehicle_value": ("车辆价值", "vehicle value"),
    # personnel (cq05)
    "authorized": ("编制数", "authorized posts"),
    "actual": ("实有人数", "actual staff"),
    "in_service": ("在职人员", "staff in service"),
    "retired": ("退休人员", "retired staff"),
    "retired_cadre": ("离休人员", "retired cadres (离休)"),
    "divisions": ("内设机构数", "number of internal divisions"),
    # project amounts (dimension bkg:project)
    "project_initial_budget": ("项目年初预算数", "project initial budget"),
    "project_budget": ("项目全年预算数", "project full-year budget"),
    "project_executed": ("项目全年执行数", "project amount executed"),
}

# Funding sources (资金来源). "all" is every fund of the unit.
FUNDING_SOURCES = {
    "all": ("全部资金", "all funds"),
    "fiscal_appropriation": ("财政拨款", "fiscal appropriation"),
    "general_public_budget": ("一般公共预算", "general public budget"),
    "government_fund": ("政府性基金预算", "government fund budget"),
    "state_capital": ("国有资本经营预算", "state capital operation budget"),
    "fiscal_special_account": ("财政专户管理资金", "fiscal special account"),
    "superior_subsidy": ("上级补助收入", "subsidy from the superior unit"),
    "business": ("事业收入", "business income of public institutions"),
    "operating": ("经营收入", "operating income"),
    "affiliated": ("附属单位上缴收入", "income remitted by affiliated units"),
    "other": ("其他收入", "other income"),
    "previous_balance": ("上年结转结余", "balance carried over"),
}

# Expenditure types (支出类型), used as a dimension of breakdown rows and table columns.
EXPENDITURE_TYPES = {
    "basic": ("基本支出", "basic expenditure"),
    "project": ("项目支出", "project expenditure"),
    "personnel": ("人员经费", "personnel expenditure"),
    "public": ("公用经费", "public expenditure"),
    "remit_to_superior": ("上缴上级支出", "remitted to the superior unit"),
    "operating": ("经营支出", "operating expenditure"),
    "subsidy_to_affiliates": ("对附属单位补助支出", "subsidies to affiliated units"),
}

# What a printed number is, relative to the reported figure.
COMPARISONS = {
    "value": ("本期数", "the reported value"),
    "change_vs_previous_year": ("比上年增减", "change against the previous year"),
    "change_rate_vs_previous_year": ("比上年增减率", "change rate against the previous year"),
    "previous_year": ("上年数", "previous year's value"),
    "initial_budget": ("年初预算数", "initial budget"),
    "budget_deviation_rate": ("预决算差异率", "budget-vs-final deviation rate"),
    "share": ("占比", "share of the total"),
}

UNITS_OF_MEASURE = {
    "wanyuan": ("万元", "10,000 yuan"),
    "yuan": ("元", "yuan"),
    "person": ("人", "persons"),
    "vehicle": ("辆", "vehicles"),
    "square_metre": ("平方米", "square metres"),
    "percent": ("%", "percent"),
    "count": ("个", "count"),
}

# Performance-indicator categories: key -> (zh, en, usual level, printed synonyms).
# Templates differ: 满意度指标 and 成本指标 appear at level 1 in some and level 2 in others.
INDICATOR_CATEGORIES = {
    "output": ("产出指标", "output", 1, ["产出指标", "产出"]),
    "benefit": ("效益指标", "benefit", 1, ["效益指标", "效益"]),
    "satisfaction": ("满意度指标", "satisfaction", 1, ["满意度指标", "满意度"]),
    "completion": ("项目完成指标", "project completion", 1, ["项目完成指标", "项目完成"]),
    "project_benefit": ("项目效益指标", "project benefit", 1, ["项目效益指标", "项目效益"]),
    "cost": ("成本指标", "cost", 1, ["成本指标", "成本"]),
    "quantity": ("数量指标", "quantity", 2, ["数量指标", "数量"]),
    "quality": ("质量指标", "quality", 2, ["质量指标", "质量"]),
    "timeliness": ("时效指标", "timeliness", 2, ["时效指标", "时效"]),
    "economic_cost": ("经济成本指标", "economic cost", 2, ["经济成本指标", "经济成本"]),
    "economic_benefit": ("经济效益指标", "economic benefit", 2, ["经济效益指标", "经济效益"]),
    "social_benefit": ("社会效益指标", "social benefit", 2, ["社会效益指标", "社会效益"]),
    "ecological_benefit": ("生态效益指标", "ecological benefit", 2, ["生态效益指标", "生态效益"]),
    "sustainability": ("可持续影响指标", "sustainable impact", 2, ["可持续影响指标", "可持续影响"]),
    "service_satisfaction": ("服务对象满意度指标", "service recipient satisfaction", 2,
                             ["服务对象满意度指标", "服务对象满意度"]),
    "social_cost": ("社会成本指标", "social cost", 2, ["社会成本指标", "社会成本"]),
    "environmental_cost": ("生态环境成本指标", "ecological and environmental cost", 2,
                           ["生态环境成本指标", "生态环境成本"]),
}

"""budgetkg: Chinese budget and final-account disclosures as a linked-data knowledge graph.

The package holds the CLI, the store interface, the vocabulary and configuration."""

__version__ = "0.1.0"

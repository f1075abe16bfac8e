"""The budgetkg web server: SPARQL 1.1 endpoint, downloads and linked-data pages.

Built with Flask; see docs/server.md."""

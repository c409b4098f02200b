"""The one place each service lists what it does: its commands' handlers, its reactions, its queries.

Every edge (RPC, HTTP, the AMQP command inbox, the command line, the importer's dependency analysis, and later
the API documents and roles) is built from these tables, so adding a command, a reaction or a report is one
function and one entry (docs/INSIDE_A_SERVICE.md).
"""

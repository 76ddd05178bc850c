"""Cadres Dinas already has, from a spreadsheet (issue 15).

`reading` turns an XLSX or CSV into rows of text without evaluating anything, `checking`
runs every row through the rules of assisted registration and says what would be created,
what is already there and what is refused (line, column, reason), and `services` writes a
checked file all or nothing through `cadres.services.register_assisted`.
"""

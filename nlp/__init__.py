"""Pure Thai text understanding: no Flask, database or LINE imports."""

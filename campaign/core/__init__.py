"""The spine (elections, municipalities) and cross-cutting parts (i18n, htmx, errors)."""

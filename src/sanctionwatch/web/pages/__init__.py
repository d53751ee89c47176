"""The workspace's HTML pages: server-rendered Jinja2 templates with htmx for the parts that
change without a reload. Page routes take the same role dependencies as the JSON API
(``web/security.py``); ``common.page_router`` marks them as pages, so that an unsigned
visitor is sent to the sign-in page instead of getting JSON."""

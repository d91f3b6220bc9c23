"""Defaults. ``instance/config.py`` and ``TASKBOARD_*`` environment variables override them."""

# The app refuses to start in production while SECRET_KEY still has this value.
DEFAULT_SECRET_KEY = "dev-only-change-me"

SECRET_KEY = DEFAULT_SECRET_KEY
# SQLALCHEMY_DATABASE_URI defaults to a SQLite file in the instance folder (set in create_app).
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
BABEL_DEFAULT_LOCALE = "zh_CN"
BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
LANGUAGES = {"zh_CN": "中文", "en": "English"}
BOOTSTRAP_SERVE_LOCAL = True  # intranets are offline: no CDN
WTF_CSRF_TIME_LIMIT = None  # a clerk may keep a long form open all morning
TODAY = None  # "YYYY-MM-DD" to rehearse any day (TASKBOARD_TODAY)
TASKS_PER_PAGE = 20
API_TOKEN_TTL = 8 * 3600  # seconds a bearer token lives (TASKBOARD_API_TOKEN_TTL)
DEMO_PASSWORD = "taskboard-demo"
PASSWORD_HASH_METHOD = "scrypt"
# Links in e-mails and robot messages point here.
BASE_URL = "http://127.0.0.1:5000"
# Mail: with no MAIL_SERVER, e-mail stays pending in the outbox (the outbox page says so).
MAIL_SERVER = None
MAIL_PORT = 25
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_USE_TLS = False
MAIL_DEFAULT_SENDER = "taskboard@localhost"
MAIL_TIMEOUT = 10  # seconds, for SMTP and webhooks alike
DELIVERY_MAX_ATTEMPTS = 8  # then a message is "failed" and waits for the office's retry
ROBOT_PER_MINUTE = 20  # messages to one group robot; 钉钉 and 企业微信 refuse more
MAX_CONTENT_LENGTH = 16 * 1024 * 1024
# Security. Cookies: HttpOnly and SameSite=Lax always; Secure when the site is served over HTTPS
# (TASKBOARD_SECURE_COOKIES=true, as in the README's production section).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = False
# How many reverse proxies (nginx …) stand in front and set X-Forwarded-For; 0 = none.
PROXY_COUNT = 0
# "Remember me" keeps a log-in this many days (the token is rotated at each use).
REMEMBER_DAYS = 30
# Throttling of log-in (pages and API): failures of one account from one address before that
# pair is locked, for how long, and attempts one address may make per minute.
LOGIN_FAILURE_LIMIT = 10
LOGIN_LOCK_MINUTES = 15
LOGIN_ADDRESS_LIMIT = 30
# The issuing office named on the 督办通知单 and the 督办情况通报 (TASKBOARD_OFFICE_NAME, JSON).
OFFICE_NAME = "区委区政府督查室"

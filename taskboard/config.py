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
MAX_CONTENT_LENGTH = 16 * 1024 * 1024

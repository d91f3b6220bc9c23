"""Everything is in setup.cfg but the one thing it cannot say.

templates/ and migrations/ stay at the top of the checkout, where Flask projects keep them, yet
the installed package must carry them (the production install is not a checkout): package_dir
maps them in as taskboard/templates and taskboard/migrations (their files: package_data in
setup.cfg). create_app looks there first.
"""
from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["taskboard", "taskboard.*"]),
              "taskboard.templates", "taskboard.migrations", "taskboard.migrations.versions"],
    package_dir={"taskboard.templates": "templates", "taskboard.migrations": "migrations"},
)

"""Children's Care Learning and Development: the app factory."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from lnd.config import ROOT, Config


def create_app(overrides: dict | None = None) -> Flask:
    config = Config(**(overrides or {}))
    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config.as_dict())
    register_database(app)
    register_templates(app)
    register_extensions(app)
    register_blueprints(app)
    register_integrations(app)
    register_cli(app)
    register_errors(app)
    register_security(app)
    return app


def register_database(app: Flask) -> None:
    from lnd.core.db import engine_options, normalise_uri

    uri = normalise_uri(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = engine_options(uri)
    options.update(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if uri.startswith("sqlite:///"):
        Path(uri[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    os.makedirs(app.instance_path, exist_ok=True)


def register_templates(app: Flask) -> None:
    from lnd.core import templating

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(ROOT / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    templating.init_app(app)


def register_extensions(app: Flask) -> None:
    from govuk_frontend_wtf.main import WTFormsHelpers

    from lnd import models  # noqa: F401  (every model registered before anything queries)
    from lnd.core.db import configure_sqlite, is_sqlite
    from lnd.core.db import init_app as init_db_hooks
    from lnd.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        if is_sqlite(app.config["SQLALCHEMY_DATABASE_URI"]):
            configure_sqlite(db.engine)
    init_db_hooks(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    WTFormsHelpers(app)


def register_blueprints(app: Flask) -> None:
    from lnd.asye.views import bp as asye_bp
    from lnd.bookings.views import bp as bookings_bp
    from lnd.compliance.views import bp as compliance_bp
    from lnd.core.views import bp as core_bp
    from lnd.courses.views import bp as courses_bp
    from lnd.cpd.views import bp as cpd_bp
    from lnd.people.views import bp as people_bp
    from lnd.supervision.views import bp as supervision_bp
    from lnd.compliance.learning_views import bp as learning_bp
    from lnd.compliance.appraisal_views import bp as appraisal_bp
    from lnd.cfpe.views import bp as cfpe_bp
    from lnd.reports.views import bp as reports_bp
    from lnd.api.views import bp as api_bp
    from lnd.api.client_views import bp as api_clients_bp

    for blueprint in (core_bp, people_bp, courses_bp, bookings_bp, compliance_bp, learning_bp, appraisal_bp,
                      cpd_bp, asye_bp, supervision_bp, cfpe_bp, reports_bp, api_bp, api_clients_bp):
        app.register_blueprint(blueprint)


def register_integrations(app: Flask) -> None:
    """What one module adds to another's pages through their extension points (calendar feed
    sources, menu entries), wired here so that nothing is hidden inside a blueprint."""
    from lnd.compliance.integration import init_app as init_compliance
    from lnd.supervision.integration import init_app as init_supervision

    init_supervision(app)
    init_compliance(app)


def register_cli(app: Flask) -> None:
    from lnd.cli import register

    register(app)


def register_errors(app: Flask) -> None:
    from lnd.core.errors import init_app

    init_app(app)


def register_security(app: Flask) -> None:
    from lnd.core.auth import init_app as init_auth
    from lnd.core.security import init_app as init_headers

    init_auth(app)
    init_headers(app)
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

"""Every model module, imported in one place so that Alembic sees the whole schema."""
from lnd.asye import models as asye_models  # noqa: F401
from lnd.bookings import models as bookings_models  # noqa: F401
from lnd.core.models import AuditEvent  # noqa: F401
from lnd.courses.models import (  # noqa: F401
    Audience, Completion, Course, CourseGroup, DeliveryMethod, Framework, FrameworkStandard, Section,
)
from lnd.cpd import models as cpd_models  # noqa: F401
from lnd.people.models import JobRole, Organisation, Person, PersonRole, Team  # noqa: F401
from lnd.supervision import models as supervision_models  # noqa: F401
from lnd.compliance import models as compliance_models  # noqa: F401
from lnd.compliance import appraisal_models  # noqa: F401
from lnd.compliance import reminder_models  # noqa: F401
from lnd.cfpe import models as cfpe_models  # noqa: F401
from lnd.reports import models as reports_models  # noqa: F401
from lnd.api import models as api_models  # noqa: F401

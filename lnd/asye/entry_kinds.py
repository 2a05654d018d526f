"""What each kind of portfolio entry asks for, in the words of the ASYE templates it replaces, and
who records it (direct observations: the assessor; everything else: the NQSW)."""
from __future__ import annotations

from dataclasses import dataclass

from lnd.asye import rules

NQSW = "nqsw"
ASSESSOR = "assessor"

NO_NAMES = "Do not name children or families."


@dataclass(frozen=True)
class Question:
    name: str          # the AsyeEntry column
    label: str
    hint: str = ""
    required: bool = True


@dataclass(frozen=True)
class EntryKind:
    code: str
    label: str
    recorded_by: str
    intro: str
    questions: tuple[Question, ...]
    slug: str
    add_text: str

    @property
    def has_stage(self) -> bool:
        return self.code in rules.STAGES

    @property
    def stages(self) -> dict[str, str]:
        return rules.STAGES.get(self.code, {})

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)


def _title(hint: str) -> Question:
    return Question("title", "Title", f"{hint} {NO_NAMES}")


KINDS: dict[str, EntryKind] = {k.code: k for k in (
    EntryKind(
        rules.REFLECTIVE_LOG, rules.ENTRY_KINDS[rules.REFLECTIVE_LOG], NQSW,
        "A reflection on a piece of your practice: what happened, what you learnt and what you will do next.",
        (_title("A short name, for example ‘First child protection conference’."),
         Question("occurred_on", "Date of the practice you are reflecting on"),
         Question("body", "Your reflection",
                  "What happened, what you thought and felt, what you learnt and how it links to the standards."),
         Question("development", "What you will do next (optional)", required=False)),
        slug="reflective-log", add_text="Add a reflective log"),
    EntryKind(
        rules.OBSERVATION, rules.ENTRY_KINDS[rules.OBSERVATION], ASSESSOR,
        "Recorded by the assessor after observing the NQSW’s practice.",
        (_title("A short name, for example ‘Home visit: single assessment’."),
         Question("occurred_on", "Date of the observation"),
         Question("context", "Context", f"What was observed, where and with whom. {NO_NAMES}"),
         Question("body", "What went well"),
         Question("development", "Development points")),
        slug="observation", add_text="Record a direct observation"),
    EntryKind(
        rules.FAMILY_FEEDBACK, rules.ENTRY_KINDS[rules.FAMILY_FEEDBACK], NQSW,
        "What a child, young person, parent or carer said about working with you, and your reflection on it.",
        (_title("A short name, for example ‘Feedback after a review meeting’."),
         Question("occurred_on", "Date the feedback was given"),
         Question("source", "Who gave the feedback",
                  f"For example ‘a young person, aged 14’ or ‘a parent’. {NO_NAMES}"),
         Question("body", "The feedback"),
         Question("development", "Your reflection on the feedback")),
        slug="family-feedback", add_text="Add feedback from a child, young person or family"),
    EntryKind(
        rules.PROFESSIONAL_FEEDBACK, rules.ENTRY_KINDS[rules.PROFESSIONAL_FEEDBACK], NQSW,
        "What another professional said about working with you, and your reflection on it.",
        (_title("A short name, for example ‘Feedback from the school’s safeguarding lead’."),
         Question("occurred_on", "Date the feedback was given"),
         Question("source", "Who gave the feedback",
                  "Their name, role and organisation, for example ‘Jo Smith, health visitor, South Tees NHS’."),
         Question("body", "The feedback"),
         Question("development", "Your reflection on the feedback")),
        slug="professional-feedback", add_text="Add feedback from another professional"),
    EntryKind(
        rules.CRITICAL_REFLECTION, rules.ENTRY_KINDS[rules.CRITICAL_REFLECTION], NQSW,
        "Your critical reflection on your practice and learning so far, written at 6 months and at 12 months.",
        (Question("stage", "When in the year is this critical reflection?"),
         Question("occurred_on", "Date written"),
         Question("body", "Your critical reflection", NO_NAMES),
         Question("development", "Your learning and development goals (optional)", required=False)),
        slug="critical-reflection", add_text="Add a critical reflection"),
    EntryKind(
        rules.SELF_ASSESSMENT, rules.ENTRY_KINDS[rules.SELF_ASSESSMENT], NQSW,
        "Your assessment of yourself against the knowledge and skills statements, at the start of the year, "
        "midway and near the end.",
        (Question("stage", "When in the year is this self-assessment?"),
         Question("occurred_on", "Date of the self-assessment"),
         Question("body", "Your self-assessment against the standards",
                  "Your strengths and what you need to develop, for each statement you select below."),
         Question("development", "Your development plan (optional)", required=False)),
        slug="self-assessment", add_text="Add a KSS self-assessment"),
)}

BY_SLUG = {kind.slug: kind for kind in KINDS.values()}


def lower_first(text: str) -> str:
    """‘Reflective log’ -> ‘reflective log’, leaving abbreviations alone (‘KSS self-assessment’)."""
    if not text or text[:2].isupper():
        return text
    return text[0].lower() + text[1:]


def default_title(kind: EntryKind, stage: str | None) -> str:
    """Entries with a stage are named by it: ‘Critical reflection at 6 months’, ‘KSS self-assessment midway’."""
    stage_label = kind.stages.get(stage or "", "")
    return f"{kind.label} {lower_first(stage_label)}" if stage_label else kind.label

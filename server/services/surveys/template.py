"""The ready questionnaire for work-training satisfaction, in the organisation's language:
a leader starts from it and changes what they like."""

from shared.i18n import N_, Texts
from shared.vocab import QuestionKind

# Translators: the ready survey's title (nb "Brukerundersøkelse").
TITLE = N_("Satisfaction survey")
# Translators: what the ready survey tells a participant first.
INTRO = N_(
    "Tell us what you think of your time here. The survey is anonymous: nobody can tell "
    "which answers are yours."
)
QUESTIONS = (
    # Translators: a survey statement rated 1 (disagree) to 5 (agree).
    (QuestionKind.SCALE, N_("I am met with respect here.")),
    # Translators: a survey statement rated 1 (disagree) to 5 (agree).
    (QuestionKind.SCALE, N_("The staff listen to me.")),
    # Translators: a survey statement rated 1 (disagree) to 5 (agree).
    (QuestionKind.SCALE, N_("I get help with my goals.")),
    # Translators: a survey statement rated 1 (disagree) to 5 (agree).
    (QuestionKind.SCALE, N_("I am content with my work tasks.")),
    # Translators: a survey statement rated 1 (disagree) to 5 (agree).
    (QuestionKind.SCALE, N_("I thrive in the social environment here.")),
    # Translators: a survey question answered yes or no.
    (QuestionKind.YES_NO, N_("Would you recommend this place to others?")),
    # Translators: the survey's last, optional question, answered in free text.
    (QuestionKind.TEXT, N_("Is there anything else you want to tell us?")),
)


def work_training(texts: Texts) -> dict:
    """The ready survey as the body of a new one, without its dates."""
    return {
        "title": texts.gettext(TITLE),
        "intro": texts.gettext(INTRO),
        "questions": [
            {"kind": kind, "text": texts.gettext(text), "options": None} for kind, text in QUESTIONS
        ],
    }

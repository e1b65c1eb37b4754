from datetime import time

import pytest

from shared import labels, vocab
from shared.i18n import texts
from shared.phone import normalise_phone
from shared.schedule import overlapping_slots


@pytest.mark.parametrize("enum", list(labels.LABELS))
def test_every_vocabulary_value_has_a_label(enum):
    assert set(labels.LABELS[enum]) == set(vocab.values(enum))
    assert all(label.strip() for label in labels.LABELS[enum].values())


def test_every_vocabulary_has_labels():
    enums = [
        v for v in vars(vocab).values() if isinstance(v, type) and issubclass(v, vocab.StrEnum)
    ]
    assert set(enums) - {vocab.StrEnum} == set(labels.LABELS)


def test_labels_follow_the_language_and_the_country():
    nb, da = texts("nb"), texts("da")
    assert labels.label(nb, vocab.AbsenceReason.SICK) == "Syk"
    assert labels.label(da, vocab.AbsenceReason.SICK) == "Syg"
    assert labels.label(nb, "no_show", vocab.AbsenceReason) == "Ikke møtt"
    assert labels.label(da, "no_show", vocab.AbsenceReason) == "Ikke mødt"
    assert labels.label(nb, vocab.Role.FACILITATOR) == "Tilrettelegger"
    assert labels.label(da, vocab.Role.FACILITATOR) == "Pædagog"
    assert labels.label(da, vocab.EnrolmentType.DK_103) == "§ 103 beskyttet beskæftigelse"
    assert labels.label(texts("en"), vocab.FollowUpKind.HOME_VISIT) == "Home visit or meeting out"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("91234567", "+4791234567"),
        ("912 34 567", "+4791234567"),
        ("+47 912 34 567", "+4791234567"),
        ("0047 91234567", "+4791234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("1234", None),
        ("+47 1234", None),
        ("tlf 91234567", None),
        ("", None),
    ],
)
def test_normalise_phone(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("20 12 34 56", "+4520123456"),
        ("+45 20 12 34 56", "+4520123456"),
        ("0045 20123456", "+4520123456"),
        ("+47 912 34 567", "+4791234567"),  # a Norwegian number stays Norwegian
        ("+45 2012 345", None),
    ],
)
def test_a_local_number_is_one_of_the_organisations_country(raw, expected):
    assert normalise_phone(raw, "DK") == expected


def test_overlapping_slots():
    slots = [
        (1, time(9), time(12)),
        (1, time(12), time(14)),  # touching is fine
        (2, time(9), time(12)),
        (2, time(11), time(13)),
    ]
    assert overlapping_slots(slots) == {2, 3}


def test_norwegian_public_holidays_but_not_sundays():
    from datetime import date

    from shared.calendar import holiday_name, is_public_holiday

    assert holiday_name(date(2026, 5, 17), "NO") == "Grunnlovsdag"
    assert is_public_holiday(date(2026, 12, 25), "NO")
    assert not is_public_holiday(date(2026, 11, 22), "NO")  # an ordinary Sunday

"""A problem's "reason" (a message of the rules) is printed in the user's language too,
in the CLI's import warnings and the sheet report, not only in the forms."""

from kkdesk.errors import Problem
from kkdesk.i18n import set_language
from kkdesk.rules import MISSING
from kkdesk.sheets.importer import RowProblem

REASON = "for threats, record whether they were carried out"


def test_problem_text_translates_its_reason():
    set_language("ru")
    text = Problem("threats[0].acts[0].threat_carried_out", MISSING, reason=REASON).text()
    assert text.endswith("следует заполнить: для угроз укажите, были ли они осуществлены")
    set_language("kk")
    assert "қорқытулар үшін" in Problem("x", MISSING, reason=REASON).text()


def test_sheet_report_rows_translate_their_reason():
    set_language("ru")
    row = RowProblem(3, "Вид угрозы", "", MISSING, {"reason": REASON}).as_dict()
    assert row["message"] == "следует заполнить: для угроз укажите, были ли они осуществлены"


def test_a_missing_folder_is_said_in_the_users_language(tmp_path):
    from kkdesk.errors import write_error

    set_language("kk")
    target = tmp_path / "nowhere" / "map.json"
    try:
        target.write_bytes(b"{}")
    except OSError as exc:
        message = write_error(exc, target).user_message()
    assert str(tmp_path / "nowhere") in message and "No such file" not in message
    set_language("en")
    assert write_error(FileNotFoundError(2, "No such file or directory"), target).user_message() == \
        f"The folder {tmp_path / 'nowhere'} does not exist."

"""Budget – détail d'un réseau in Chromium: month by month, financing, staff lines, and meeting mode."""

from __future__ import annotations

from demo_truth import staff_lines
from screen import EMPLOYEE, Screen


def test_every_tab_loads_with_euros_in_french(demo_app, screen: Screen):
    """Each tab of one network head's budget, screenshotted and checked."""
    screen.open(demo_app.url("budget_reseau", reseau="CABM"))
    text = screen.check_page("budget_reseau", expect_charts=True)
    # the default year, 2026, on 24/11/2026: through T3, its last ended quarter
    assert "Dépenses éligibles et forfait de 40 % par mois – T1 à T3 2026 – CABM" in text


def test_staff_lines_are_shown_outside_meetings_and_hidden_in_them(demo_app, screen: Screen):
    """The same topic before and after switching « mode réunion » on: employees appear only outside meetings."""
    employees = {line["employee"] for line in staff_lines(2026) if line["head"] == "CABM"}
    screen.open(demo_app.url("budget_reseau", reseau="CABM"))
    screen.show_tab("Lignes de personnel")
    assert set(EMPLOYEE.findall(screen.text())) & employees, "the staff lines should be listed here"

    switch = screen.page.get_by_role("switch", name="Mode réunion")
    screen.rerun_after(screen.page.locator('[data-testid="stSidebar"]').get_by_text("Mode réunion").click)
    assert switch.is_checked() and "reunion=true" in screen.page.url
    topic = screen.page.locator('[data-testid="stButtonGroup"] button', has_text="Lignes de personnel")
    if topic.get_attribute("aria-checked") != "true":  # the topic open in the tabs stays open (bound to the URL):
        screen.rerun_after(topic.click)  # a click on it would unselect it, back to the first topic
    screen.screenshot("budget_reseau--reunion--lignes-de-personnel")
    text = screen.text()
    assert "ne sont pas affichées en mode réunion" in text
    assert not EMPLOYEE.findall(text)
    screen.assert_no_exception()
    screen.assert_accessible("budget_reseau--reunion")

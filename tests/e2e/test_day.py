"""Every role's day on the demo as of 15 June 2022, in the order the day happens.

The tests share one server and build on each other's steps, so they run in file order:
the office turns a speech into two tasks for 区企业服务中心; its reporter signs one on a phone
and reports twice; the office reviews the four reports then pending in at most eight clicks;
the reporter corrects the returned one; the unit head objects, asks for time and for
completion, and the office decides each; a later sweep mails everyone; the leader and the
admin go through their pages.
"""
import re
from pathlib import Path

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

SPEECH = Path(__file__).resolve().parents[2] / "taskboard" / "demo" / "speech.txt"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UNIT = "区企业服务中心"
NEW_TASKS: list[str] = []  # titles of the tasks the office creates, for the later steps


def _docx(path: Path) -> Path:
    from docx import Document

    document = Document()
    for line in SPEECH.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    document.save(path)
    return path


def test_the_office_turns_a_speech_into_tasks(visit, tmp_path):
    office = visit("1-office-speech")
    page = office.page
    office.log_in("office")
    office.goto("/meetings/new")
    page.fill("#title", "2022年务虚会（上传稿）")
    page.fill("#meeting_date", "2021-12-28")
    page.fill("#year", "2022")
    page.set_input_files("#upload", str(_docx(tmp_path / "务虚会讲话.docx")))
    office.click("main button[type=submit]", landing="meeting-review")
    cards = page.locator(".proposal")
    assert cards.count() >= 10
    ticks = page.locator(".proposal input[type=checkbox][name$='-selected']")

    office.click("text=全不选")
    assert page.locator(".proposal input[name$='-selected']:checked").count() == 0
    for card in (0, 1):
        ticks.nth(card).check()
        NEW_TASKS.append(cards.nth(card).locator("input[name$='-title']").input_value())
    page.select_option("#bulk-unit", label=UNIT)
    page.fill("#bulk-due", "2022-12-31")
    office.click("text=设置到所勾选")
    expect(page.locator("#bulk-bar [data-status]")).to_contain_text("2")
    for card in (0, 1):
        chosen = cards.nth(card).locator("select[name$='-responsible_unit_id'] option:checked")
        expect(chosen).to_have_text(UNIT)
        expect(cards.nth(card).locator("input[name$='-due_date']")).to_have_value("2022-12-31")
    # A multi-select is a filterable list of ticks: no Ctrl-click.
    picker = cards.nth(0).locator(".picker").last
    picker.locator("input[type=search]").fill("招商")
    picker.locator("label:visible", has_text="招商局").first.click()
    assert cards.nth(0).locator("select[multiple] option:checked", has_text="招商局").count() == 1

    # A ticked card that fails is listed at the top, with a link to it.
    cards.nth(1).locator("input[name$='-title']").fill("")
    office.click("text=确认交办所勾选事项", landing="meeting-review-errors")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("请填写督办事项")
    office.click("#error-summary a")
    assert page.url.endswith("#proposal-" + page.locator(".proposal").nth(1)
                             .get_attribute("data-position"))
    page.locator(".proposal").nth(1).locator("input[name$='-title']").fill(NEW_TASKS[1])
    office.click("text=确认交办所勾选事项", landing="meeting-confirmed")
    expect(page.locator(".alert-success")).to_contain_text("已确认交办 2 项")

    office.goto("/tasks/?q=" + NEW_TASKS[0], "tasks-search")
    office.click(f"main a:text-is('{NEW_TASKS[0]}')", landing="new-task")
    expect(page.locator("main")).to_contain_text(UNIT)
    assert page.locator("text=2022-12").count() >= 1  # monthly milestones to December


def test_a_reporter_signs_and_reports_on_a_phone(visit):
    reporter = visit("2-reporter-phone", phone=True)
    page = reporter.page
    reporter.log_in("qyfw_reporter")
    assert page.url.endswith("/workspace")
    nav = page.locator(".navbar-toggler")
    nav.click()
    expect(page.locator("nav >> text=工作台")).to_contain_text(re.compile(r"\d+"))
    nav.click()
    row = page.locator(".list-group-item", has_text=NEW_TASKS[0])
    reporter.click(f".list-group-item:has-text('{NEW_TASKS[0]}') >> text=签收",
                   landing="workspace-signed")
    assert page.url.endswith("/workspace")
    expect(page.locator(".alert-success")).to_contain_text("已签收")
    expect(row.locator("text=签收")).to_have_count(0)

    for number in (1, 2):
        reporter.click("main a.btn:text-is('填报') >> nth=0", landing=f"report-{number}")
        page.fill("#text", f"第{number}次报送：已完成月度计划，签约清单附后。")
        for index, value_input in enumerate(page.locator("input[name$='-value']").all()):
            if index:  # the first figure is given, the others left out on purpose
                break
            value_input.fill("3")
        page.set_input_files("#files", files=[{"name": "签约清单.pdf",
                                               "mimeType": "application/pdf", "buffer": PDF}])
        reporter.click("main button[type=submit]", landing=f"reported-{number}")
        expect(page.locator(".alert-success")).to_contain_text("等待督查室审核")


def test_the_office_reviews_the_four_pending_reports_in_at_most_eight_clicks(visit):
    office = visit("3-office-review")
    office.log_in("office")
    office.click("nav >> text=待办", landing="reviews")
    page = office.page
    cards = page.locator("[id^=report-]")
    assert cards.count() == 4
    office.clicks = 0  # counted from the 待办 page: what the review itself costs
    # Each card shows its figures against the plan, missing ones marked; nothing is preset.
    expect(page.locator("[id^=report-] >> text=未填").first).to_be_visible()
    assert page.locator("input[name=decision]:checked").count() == 0
    mine = [c.get_attribute("id").removeprefix("report-") for c in cards.all()
            if "企服中心填报员" in c.inner_text() and "第2次报送" in c.inner_text()]
    others = [c.get_attribute("id").removeprefix("report-") for c in cards.all()
              if c.get_attribute("id").removeprefix("report-") not in mine]
    assert len(mine) == 1 and len(others) == 3
    for report_id in others:
        office.click(f"#pick-{report_id}")
    office.click("text=通过所选", landing="reviews-accepted")
    expect(page.locator(".alert-success")).to_contain_text("已通过 3 份进展报告")
    office.click(f"#return-{mine[0]}")
    office.click(f"#comment-{mine[0]}")
    page.keyboard.type("请补充签约项目清单和盖章件")
    office.click(f"#report-{mine[0]} >> text=提交审核", landing="reviews-returned")
    assert office.clicks <= 8, office.clicks
    expect(page.locator("main")).to_contain_text("没有待审核的报告")


def test_the_reporter_finds_the_returned_report_filled_in(visit):
    reporter = visit("4-reporter-returned", phone=True)
    page = reporter.page
    reporter.log_in("qyfw_reporter")
    returned = page.locator(".list-group-item-warning").first
    expect(returned).to_contain_text("请补充签约项目清单和盖章件")
    reporter.click(".list-group-item-warning >> text=填报", landing="report-again")
    alert = page.locator("main .alert-warning")
    expect(alert).to_contain_text("请补充签约项目清单和盖章件")
    expect(page.locator("#text")).to_have_value(re.compile("第2次报送"))
    assert alert.bounding_box()["y"] < page.locator("#text").bounding_box()["y"]

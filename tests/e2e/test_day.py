"""Every role's day on the demo as of 15 June 2022, in the order the day happens.

The tests share one server and build on each other's steps, so they run in file order:
the office turns a speech into two tasks for 区企业服务中心; its reporter signs one on a phone
and reports twice; the office reviews the four reports then pending in at most eight clicks;
the reporter corrects the returned one; the unit head objects, asks for time and for
completion, and the office decides each; a later sweep mails everyone; the leader and the
admin go through their pages.
"""
import re
from io import BytesIO
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
    office.readme("meeting-review")
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
    reporter.readme("workspace-phone")

    # Two of the demo's tasks (reporting on a new one would sign it, and the head objects to
    # the other new one below).
    for number, task in ((1, "推进离岸孵化相关工作"), (2, "推进科技成果转化申报")):
        reporter.click(f".list-group-item:has-text('{task}') >> a.btn:text-is('填报') >> nth=0",
                       landing=f"report-{number}")
        page.fill("#text", f"第{number}次报送：已完成月度计划，签约清单附后。")
        # The first figure is given; the others are ticked 暂无数据 (marked 未填 on 待办).
        for index, value_input in enumerate(page.locator("input[name$='-value']").all()):
            if index:
                page.check(f"input[name='values-{index}-no_data']")
            else:
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
    office.readme("reviews")
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


def test_the_unit_head_objects_asks_for_time_and_for_completion(visit):
    head = visit("5-unit-head")
    page = head.page
    head.log_in("qyfw_head")
    row = page.locator(".list-group-item", has_text=NEW_TASKS[1]).first  # 待签收 comes first
    head.click(f".list-group-item:has-text('{NEW_TASKS[1]}') >> text=提出异议")
    row.locator("textarea").fill("该项应由区财政金融服务中心牵头负责。")
    head.click(f".list-group-item:has-text('{NEW_TASKS[1]}') >> button:text-is('提交')",
               landing="workspace-objected")
    assert page.url.endswith("/workspace")
    expect(row).to_contain_text("异议待督查室处理")

    head.goto("/tasks/?q=" + NEW_TASKS[0], "tasks-search")
    head.click(f"main a:text-is('{NEW_TASKS[0]}')", landing="task")
    head.click("summary:text-is('申请延期')")
    page.fill("#extension-due", "2023-03-31")
    page.fill("#extension-reason", "项目审批流程延长，申请延至明年一季度。")
    head.click("form:has(#extension-reason) >> text=提交", landing="task-extension")
    head.click("summary:text-is('申请办结')")
    page.fill("#completion-reason", "主要目标已完成，申请办结。")
    head.click("form:has(#completion-reason) >> text=提交", landing="task-completion")
    expect(page.locator("main")).to_contain_text("办结申请已提交")


def test_the_office_decides_each_request_seeing_the_figures_for_completion(visit):
    office = visit("6-office-requests")
    page = office.page
    office.log_in("office")
    office.click("nav >> text=待办", landing="reviews")
    completion = page.locator(".list-group-item", has_text="申请办结")
    expect(completion.locator("table")).to_contain_text("计划至今")

    def decide(task: str, kind: str, choice: str, comment: str, label: str) -> None:
        office.goto("/tasks/?q=" + task, "tasks-search")
        office.click(f"main a:text-is('{task}')", landing=f"task-{label}")
        card = page.locator("div.border.rounded", has=page.locator(f"strong:text-is('{kind}')"))
        card = card.filter(has=page.locator("form"))
        card.locator(f"input[value={choice}]").check()
        if kind == "异议" and choice == "approve":
            card.locator("select[name=unit_id]").select_option(label="区财政金融服务中心")
        card.locator("input[name=comment]").fill(comment)
        office.click(f"div.border.rounded:has(strong:text-is('{kind}')) >> button:text-is('处理')",
                     landing=f"decided-{label}")
        expect(page.locator(".alert-success")).to_contain_text("已处理")

    decide(NEW_TASKS[1], "异议", "approve", "同意，改由区财政金融服务中心负责。", "objection")
    decide(NEW_TASKS[0], "申请延期", "approve", "同意延期。", "extension")
    decide(NEW_TASKS[0], "申请办结", "reject", "目标尚未完成，暂不办结。", "completion")
    expect(page.locator("main")).to_contain_text("目标尚未完成，暂不办结")


def test_a_later_sweep_mails_everyone_it_owes_and_rings_the_bell(server, visit):
    server.mailbox.messages.clear()
    print(server.flask("followup", "sweep", "--today", "2022-06-20"))
    per_person = {address: len(server.mailbox.to(address))
                  for address in {m["To"] for m in server.mailbox.messages}}
    assert per_person, "the sweep sent no mail"
    assert per_person.get("qyfw_head@example.org")
    # One delivery run: one mail per person, however much was owed to them.
    assert set(per_person.values()) == {1}, per_person
    reporter = visit("7-bell")
    page = reporter.page
    reporter.log_in("qyfw_head")
    bell = page.locator("nav a[href$='/notifications']")
    expect(bell.locator(".badge")).to_have_text(re.compile(r"\d+"))
    reporter.click("nav a[href$='/notifications']", landing="inbox")
    expect(page.locator("main")).to_contain_text("逾期")


def test_the_leaders_day(visit):
    leader = visit("8-leader")
    page = leader.page
    leader.log_in("leader")
    expect(page.locator("h1")).to_contain_text("挂图作战")
    leader.click("main a[href^='/tasks/'] >> nth=0", landing="task")
    page.fill("#text", "请抓紧推进，月底前报进展。")
    leader.click("main button:text-is('发布')", landing="instructed")
    expect(page.locator(".instruction").first).to_contain_text("请抓紧推进")
    leader.goto("/awards", "ranking")
    leader.goto("/digest/preview", "digest")
    expect(page.locator("main")).to_contain_text("周报")
    leader.click("nav >> text=我的账号", landing="account")
    page.uncheck("#digest")
    leader.click("main button:text-is('保存')", landing="account-saved")
    expect(page.locator(".alert-success")).to_contain_text("通知设置已保存")
    expect(page.locator("#digest")).not_to_be_checked()
    leader.goto("/", "dashboard")
    with page.expect_download() as download:
        page.click("text=下载台账 Excel")
    saved = download.value
    assert saved.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(Path(saved.path()).read_bytes()))
    assert workbook.active.max_row > 10


def test_the_admins_day(visit):
    admin = visit("9-admin")
    page = admin.page
    admin.log_in("admin")
    admin.goto("/units/new", "unit-new")
    page.fill("#name", "区数据局")
    page.fill("#short_name", "数据局")
    page.fill("#code", "sjj")
    admin.click("main button[type=submit]", landing="unit-saved")
    expect(page.locator("main")).to_contain_text("区数据局")
    admin.goto("/admin/users/new", "user-new")
    page.fill("#username", "sjj_reporter")
    page.fill("#display_name", "数据局填报员")
    page.fill("#email", "sjj_reporter@example.org")
    page.select_option("#role", "reporter")
    page.select_option("#unit_id", label="区数据局")
    page.fill("#password", "a-long-demo-password-1")
    admin.click("main button[type=submit]", landing="user-saved")
    expect(page.locator("main")).to_contain_text("sjj_reporter")
    admin.click("footer >> text=English", landing="english")
    expect(page.locator("nav")).to_contain_text("Tasks")
    admin.click("footer >> text=中文", landing="chinese")
    expect(page.locator("nav")).to_contain_text("督办事项")

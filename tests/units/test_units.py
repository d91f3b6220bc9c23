"""The units admin pages."""
import pytest
from conftest import make_task, make_unit, make_user
from sqlalchemy import func, select

from taskboard.extensions import db
from taskboard.units.models import Unit


@pytest.fixture
def office(client, app):
    make_user("office", "office")
    client.login("office")
    return client


def test_office_creates_and_edits_a_unit(office):
    parent = make_unit("gwh", "管委会")
    response = office.post_form("/units/new", {
        "name": "区企业服务中心", "short_name": "企服中心", "code": "qyfw", "kind": "platform",
        "parent_id": parent.id, "webhook_url": "http://127.0.0.1:9/robot", "active": "y"})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "qyfw"))
    assert (unit.name, unit.parent.name, unit.kind) == ("区企业服务中心", "管委会", "platform")
    response = office.post_form(f"/units/{unit.id}/edit", {
        "name": "区企业服务中心", "short_name": "企服", "code": "qyfw", "kind": "platform",
        "parent_id": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert unit.short_name == "企服" and unit.parent is None and not unit.active
    page = office.get("/units/").get_data(as_text=True)
    assert "区企业服务中心" in page and "停用" in page


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "管委会"}, "已被其他单位使用"),
    ({"code": "gwh"}, "已被其他单位使用"),
    ({"code": "中文"}, "单位代码用"),
    ({"name": ""}, "请填写单位名称"),
    ({"name": "长" * 101}, "100"),
    ({"webhook_url": "ftp://x"}, "http"),
])
def test_bad_unit_input_is_explained_and_writes_nothing(office, form, message):
    make_unit("gwh", "管委会")
    data = {"name": "新单位", "code": "xin", "kind": "department", **form}
    response = office.post_form("/units/new", data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Unit.id))) == 1


def test_a_unit_cannot_be_its_own_parent(office):
    top = make_unit("top", "上级")
    child = make_unit("child", "下级", parent_id=top.id)
    response = office.post_form(f"/units/{top.id}/edit", {
        "name": "上级", "code": "top", "kind": "department", "parent_id": child.id,
        "active": "y"})
    assert "不能是本单位或其下级" in response.get_data(as_text=True)
    db.session.expire_all()
    assert top.parent_id is None


def test_a_units_page_lists_the_tasks_it_shares(office):
    ours, partner = make_unit("ours", "区企业服务中心"), make_unit("partner", "区招商局")
    make_task(ours, title="推进离岸孵化相关工作", cooperating_unit_ids=[partner.id])
    make_task(ours, title="只属于企服中心的事项")
    page = office.get(f"/units/{partner.id}").get_data(as_text=True)
    assert "推进离岸孵化相关工作" in page and "只属于企服中心的事项" not in page


def test_a_unit_robot_type_and_its_signing_secret(office):
    unit = make_unit("zsj", "区招商局")
    form = {"name": "区招商局", "code": "zsj", "kind": "department", "active": "y",
            "webhook_url": "https://robot.intranet.gov.cn/robot/send?access_token=abc",
            "robot_kind": "dingtalk", "robot_secret": "SEC0123456789abcdef"}
    assert office.post_form(f"/units/{unit.id}/edit", form).status_code == 302
    db.session.expire_all()
    assert (unit.robot_kind, unit.robot_secret) == ("dingtalk", "SEC0123456789abcdef")
    page = office.get(f"/units/{unit.id}/edit").get_data(as_text=True)
    assert "钉钉加签密钥" in page and "SEC0123456789abcdef" not in page  # never shown back
    # Left blank, the secret stays; a secret with a space is refused and changes nothing.
    office.post_form(f"/units/{unit.id}/edit", {**form, "robot_secret": ""})
    response = office.post_form(f"/units/{unit.id}/edit", {**form, "robot_secret": "SEC a"})
    assert response.status_code == 200 and "不含空格" in response.get_data(as_text=True)
    response = office.post_form(f"/units/{unit.id}/edit", {**form, "robot_kind": "feishu"})
    assert response.status_code == 200 and "不是有效的选择" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (unit.robot_kind, unit.robot_secret) == ("dingtalk", "SEC0123456789abcdef")
    # 企业微信 has no 加签: switching drops the secret.
    office.post_form(f"/units/{unit.id}/edit", {**form, "robot_kind": "wecom"})
    db.session.expire_all()
    assert (unit.robot_kind, unit.robot_secret) == ("wecom", None)

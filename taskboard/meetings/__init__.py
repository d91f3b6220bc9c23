"""Meetings (会议/来源) and the minutes parser that proposes tasks from them."""

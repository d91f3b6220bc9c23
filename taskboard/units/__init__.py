"""Units (单位): departments, companies and platforms that are made responsible for tasks."""

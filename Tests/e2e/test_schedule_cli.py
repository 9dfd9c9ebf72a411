"""`kefu schedule due` and `kefu schedule between` against an independent reckoning with
Python's own zoneinfo: random weekly hours with lunch breaks and whole days, holidays and
make-up working days, in Asia/Shanghai, America/New_York and Europe/London, with instants
around their daylight-saving changes. Hours are chosen outside the wall times the clocks
skip, where the two ways of reading a skipped time would differ."""
from __future__ import annotations

import json
import random
import subprocess
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kefu_server import default_binary

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# The local hour the clocks skip in each zone (none in Shanghai).
SKIPPED = {"Asia/Shanghai": None, "America/New_York": 2, "Europe/London": 1}
AROUND = {"Asia/Shanghai": [date(2027, 2, 1)], "America/New_York": [date(2027, 3, 10), date(2027, 11, 3)],
          "Europe/London": [date(2027, 3, 24), date(2027, 10, 27)]}


def kefu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(default_binary()), "schedule", *args], capture_output=True, text=True, timeout=60)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def random_day(rng: random.Random, zone: str) -> list[list[str]]:
    shape = rng.choice(["closed", "whole", "office", "split", "one"])
    if shape == "closed":
        return []
    if shape == "whole":
        return [["00:00", "24:00"]]
    skipped = SKIPPED[zone]
    # Boundaries on the quarter hour, none inside the skipped hour.
    marks = sorted(rng.sample([m for m in range(0, 24 * 60 + 1, 15) if skipped is None or not skipped * 60 < m < (skipped + 1) * 60],
                              4 if shape == "split" else 2))
    if shape == "office":
        marks = [9 * 60, 12 * 60, 13 * 60, 18 * 60]
    pairs = [marks[i:i + 2] for i in range(0, len(marks), 2)]
    return [[clock(a), clock(b)] for a, b in pairs if a < b]


def random_schedule(rng: random.Random, zone: str) -> dict:
    weekly = {day: random_day(rng, zone) for day in DAYS}
    start = rng.choice(AROUND[zone])
    overrides = []
    for offset in rng.sample(range(0, 10), 3):
        overrides.append({"date": (start + timedelta(days=offset)).isoformat(), "hours": random_day(rng, zone)})
    return {"timeZone": zone, "weekly": weekly, "overrides": overrides}


def periods(schedule: dict, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Open periods in UTC, day by day, from the schedule's own words."""
    zone = ZoneInfo(schedule["timeZone"])
    overrides = {o["date"]: o["hours"] for o in schedule["overrides"]}
    result = []
    day = first
    while day <= last:
        hours = overrides.get(day.isoformat(), schedule["weekly"][DAYS[day.weekday()]])
        for start, end in hours:
            def instant(text: str) -> datetime:
                if text == "24:00":
                    return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(timezone.utc)
                hour, minute = map(int, text.split(":"))
                return datetime.combine(day, time(hour, minute), zone).astimezone(timezone.utc)
            result.append((instant(start), instant(end)))
        day += timedelta(days=1)
    return result


def between(schedule: dict, a: datetime, b: datetime) -> float:
    total = 0.0
    for start, end in periods(schedule, a.date() - timedelta(days=2), b.date() + timedelta(days=2)):
        total += max(0.0, (min(end, b) - max(start, a)).total_seconds())
    return total


def iso(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("zone", list(SKIPPED))
def test_between_and_due_agree_with_zoneinfo(zone: str, tmp_path: Path) -> None:
    rng = random.Random(f"kefu-schedule-{zone}")
    for round_number in range(12):
        schedule = random_schedule(rng, zone)
        if not any(schedule["weekly"].values()):
            schedule["weekly"]["wed"] = [["09:00", "17:00"]]
        path = tmp_path / f"schedule-{round_number}.json"
        path.write_text(json.dumps(schedule))
        base = datetime.combine(rng.choice(AROUND[zone]), time(0), timezone.utc)
        a = base + timedelta(minutes=rng.randrange(0, 10 * 24 * 60))
        b = a + timedelta(minutes=rng.randrange(0, 6 * 24 * 60))
        expected = between(schedule, a, b)
        result = kefu("between", "--schedule", str(path), "--from", iso(a), "--to", iso(b))
        assert result.returncode == 0, result.stderr
        assert float(result.stdout.strip()) == expected, (schedule, iso(a), iso(b))

        seconds = rng.randrange(1, 3 * 24 * 3600)
        result = kefu("due", "--schedule", str(path), "--from", iso(a), "--seconds", str(seconds))
        assert result.returncode == 0, result.stderr
        due = datetime.strptime(result.stdout.strip(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        # The due instant is the first at which exactly that much business time has passed.
        assert between(schedule, a, due) == seconds, (schedule, iso(a), seconds, iso(due))
        assert between(schedule, a, due - timedelta(seconds=1)) < seconds, (schedule, iso(a), seconds, iso(due))


def test_the_issue_example_and_zero_seconds(tmp_path: Path) -> None:
    office = [["09:00", "12:00"], ["13:00", "18:00"]]
    path = tmp_path / "shanghai.json"
    path.write_text(json.dumps({"timeZone": "Asia/Shanghai", "weekly": {"mon": office, "tue": office, "wed": office, "thu": office,
                                                                        "fri": office, "sat": [], "sun": []},
                                "overrides": [{"date": "2027-02-10", "hours": []}, {"date": "2027-02-07", "hours": [["09:00", "18:00"]]}]}))
    # Two hours from Monday 10:00 in Beijing end at 12:00, not at the 13:00 reopening.
    assert kefu("due", "--schedule", str(path), "--from", "2027-02-01T10:00:00+08:00", "--seconds", "7200").stdout == "2027-02-01T04:00:00Z\n"
    assert kefu("due", "--schedule", str(path), "--from", "2027-02-06T03:00:00+08:00", "--seconds", "0").stdout == "2027-02-05T19:00:00Z\n"
    # Friday 17:00 to Monday 10:00 over the make-up Sunday: 1 + 9 + 1 hours.
    assert kefu("between", "--schedule", str(path), "--from", "2027-02-05T17:00:00+08:00", "--to", "2027-02-08T10:00:00+08:00").stdout == "39600\n"


@pytest.mark.parametrize("document, args, words", [
    ({"timeZone": "Mars/Olympus", "weekly": {}}, ["between", "--from", "2027-01-01T00:00:00Z", "--to", "2027-01-02T00:00:00Z"], "timeZone"),
    ({"timeZone": "UTC", "weekly": {"mon": [["18:00", "09:00"]]}}, ["between", "--from", "2027-01-01T00:00:00Z", "--to", "2027-01-02T00:00:00Z"], "weekly.mon[0]"),
    ({"timeZone": "UTC", "weekly": {"mon": "09:00-17:00"}}, ["between", "--from", "2027-01-01T00:00:00Z", "--to", "2027-01-02T00:00:00Z"], "weekly.mon"),
    ({"timeZone": "UTC", "weekly": {}}, ["between", "--from", "yesterday", "--to", "2027-01-02T00:00:00Z"], "--from"),
    ({"timeZone": "UTC", "weekly": {}}, ["due", "--from", "2027-01-01T00:00:00Z", "--seconds=-5"], "--seconds"),
    ({"timeZone": "UTC", "weekly": {}}, ["due", "--from", "2027-01-01T00:00", "--seconds", "5"], "--from"),
])
def test_bad_files_and_instants_are_exit_2_with_a_message_in_both_languages(document: dict, args: list[str], words: str, tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document))
    result = kefu(args[0], "--schedule", str(path), *args[1:])
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    assert words in result.stderr
    assert any("\u4e00" <= character <= "\u9fff" for character in result.stderr), result.stderr


def test_an_unreadable_file_is_exit_2(tmp_path: Path) -> None:
    result = kefu("between", "--schedule", str(tmp_path / "missing.json"), "--from", "2027-01-01T00:00:00Z", "--to", "2027-01-02T00:00:00Z")
    assert result.returncode == 2
    assert "missing.json" in result.stderr


def test_holidays_from_an_icalendar_file_become_overrides_that_due_then_follows(tmp_path: Path) -> None:
    office = [["09:00", "12:00"], ["13:00", "18:00"]]
    schedule = tmp_path / "shanghai.json"
    schedule.write_text(json.dumps({"timeZone": "Asia/Shanghai", "weekly": {"mon": office, "tue": office, "wed": office, "thu": office, "fri": office}}))
    calendar = tmp_path / "holidays.ics"
    calendar.write_text("\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//CN Holidays//ZH",
        "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20270206", "DTEND;VALUE=DATE:20270214", "SUMMARY:春节 休", "END:VEVENT",
        "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20270214", "SUMMARY:春节 补班", "END:VEVENT",
        "END:VCALENDAR", ""]), encoding="utf-8")
    result = kefu("import-holidays", "--schedule", str(schedule), "--ics", str(calendar))
    assert result.returncode == 0, result.stderr
    merged = json.loads(result.stdout)
    overrides = {o["date"]: o for o in merged["overrides"]}
    assert sorted(overrides) == [f"2027-02-{day:02d}" for day in range(6, 15)]
    assert overrides["2027-02-10"]["hours"] == [] and overrides["2027-02-10"]["name"] == "春节 休"
    assert overrides["2027-02-14"]["hours"] == office
    merged_path = tmp_path / "merged.json"
    merged_path.write_text(result.stdout)
    # Friday 17:00: one hour that day, then the festival, then the make-up Sunday from 09:00.
    due = kefu("due", "--schedule", str(merged_path), "--from", "2027-02-05T17:00:00+08:00", "--seconds", "7200")
    assert due.stdout == "2027-02-14T02:00:00Z\n", due.stderr

    calendar.write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20270101\nRRULE:FREQ=YEARLY\nEND:VEVENT\nEND:VCALENDAR\n")
    refused = kefu("import-holidays", "--schedule", str(schedule), "--ics", str(calendar))
    assert refused.returncode == 2 and "RRULE" in refused.stderr

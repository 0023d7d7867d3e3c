"""``anju geo load-stations`` and ``anju geo refresh-stations``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from anju.geo.models import CommunityStation, SubwayStation
from tests.geo.conftest import GUANGGU, north_of


def run(*args) -> str:
    out = io.StringIO()
    call_command("geo", *args, stdout=out)
    return out.getvalue()


def test_stations_load_from_csv_and_reach_the_communities(tmp_path, vanke):
    # given
    lat, lng = north_of(GUANGGU, 1000)
    path = tmp_path / "stations.csv"
    path.write_text(
        f"line,name,latitude,longitude\n2号线,光谷广场,{GUANGGU[0]},{GUANGGU[1]}\n2号线,北边,{lat},{lng}\n",
        encoding="utf-8",
    )
    # when
    output = run("load-stations", str(path), "--city", "武汉")
    # then
    assert "新增 2 个地铁站，更新 0 个" in output
    assert sorted(vanke.stations.values_list("distance_m", flat=True)) == [0, 1000]
    # and loading again changes nothing
    assert "新增 0 个地铁站，更新 0 个" in run("load-stations", str(path), "--city", "武汉市")


def test_stations_load_from_json_and_a_moved_station_moves(tmp_path, wuhan):
    path = tmp_path / "stations.json"
    path.write_text(
        json.dumps([{"line": "1号线", "name": "循礼门", "latitude": 30.58, "longitude": 114.27}]),
        encoding="utf-8",
    )
    run("load-stations", str(path), "--city", "武汉")
    path.write_text(
        json.dumps([{"line": "1号线", "name": "循礼门", "latitude": 30.581, "longitude": 114.27}]),
        encoding="utf-8",
    )
    assert "更新 1 个" in run("load-stations", str(path), "--city", "武汉")
    assert str(SubwayStation.objects.get().latitude) == "30.581000"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,latitude\n光谷,30\n", "缺少列：line, longitude"),
        ("line,name,latitude,longitude\n2号线,光谷,abc,114\n", "第 2 行：坐标不是数字"),
        ("line,name,latitude,longitude\n2号线,,30,114\n", "第 2 行：需要"),
        ("line,name,latitude,longitude\n2号线,光谷,95,114\n", "坐标不在中国境内"),
    ],
)
def test_a_bad_file_is_refused_with_the_line_and_nothing_is_loaded(tmp_path, wuhan, content, message):
    path = tmp_path / "stations.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("load-stations", str(path), "--city", "武汉")
    assert not SubwayStation.objects.exists()


def test_an_unknown_city_is_refused(tmp_path, db):
    path = tmp_path / "stations.csv"
    path.write_text("line,name,latitude,longitude\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有名为“上海”的城市"):
        run("load-stations", str(path), "--city", "上海")


def test_refresh_recomputes_every_community(vanke, wuhan):
    SubwayStation.objects.create(
        city=wuhan, line="2号线", name="光谷广场", latitude=GUANGGU[0], longitude=GUANGGU[1]
    )
    assert not CommunityStation.objects.exists()
    assert "记录了 1 条" in run("refresh-stations", "--city", "武汉")
    assert vanke.stations.count() == 1

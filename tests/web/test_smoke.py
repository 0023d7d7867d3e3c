def test_workbench_shows_navigation(web):
    # when
    response = web.get("/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    for label in ["工作台", "客户", "房源", "带看", "交易", "计算器", "客户服务", "报表", "设置"]:
        assert label in page

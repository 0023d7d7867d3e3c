// care/page: a file, not inline, so the Content-Security-Policy needs no inline script (decision 0022).
(function () {
  // The tier bars from #care-data (the market page draws its charts the same way).
  function draw() {
    var box = document.querySelector("[data-chart=tiers]"), source = document.querySelector("#care-data");
    if (!box || !source || !window.echarts) { return; }
    var d = JSON.parse(source.textContent), chart = echarts.init(box, null, {renderer: "svg"});
    chart.setOption({grid: {left: 8, right: 8, top: 16, bottom: 8, containLabel: true}, tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: d.tiers}, yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: d.counts, itemStyle: {color: "#0f5e9c"}, label: {show: true, position: "top"}}]});
    box.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();

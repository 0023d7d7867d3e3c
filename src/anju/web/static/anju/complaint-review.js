// complaints/review: the month's complaints per category or root cause, and how many met both
// deadlines. A file, not inline, so the Content-Security-Policy needs no inline script (decision 0022).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.querySelector("#complaint-data");
  if (!source || !window.echarts) { return; }
  var d = JSON.parse(source.textContent);
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var rows = d[box.dataset.chart] || [];
    var chart = echarts.init(box, null, {renderer: "svg"});
    chart.setOption({
      animation: false, legend: {top: 0, textStyle: {fontSize: 11}}, tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      grid: {left: 8, right: 16, top: 28, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1, axisLabel: {fontSize: 10}},
      yAxis: {type: "category", inverse: true, data: rows.map(function (r) { return r[0]; }), axisLabel: {fontSize: 11}},
      series: [{name: box.dataset.countLabel, type: "bar", data: rows.map(function (r) { return r[1]; }), itemStyle: {color: "#0f5e9c"}},
               {name: box.dataset.doneLabel, type: "bar", data: rows.map(function (r) { return r[2]; }), itemStyle: {color: "#2e8b57"}}]
    });
    box.dataset.drawn = "1";
  });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) { var c = echarts.getInstanceByDom(box); if (c) { c.resize(); } });
  });
});

// presentation/report: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("weeks-chart");
  if (!box || !window.echarts) { return; }
  var d = JSON.parse(document.getElementById("report-data").textContent);
  var chart = echarts.init(box, null, {renderer: "svg"});
  chart.setOption({
    animation: false, grid: {left: 8, right: 8, top: 36, bottom: 8, containLabel: true},
    tooltip: {trigger: "axis"}, legend: {top: 0, textStyle: {fontSize: 11}},
    xAxis: {type: "category", data: d.weeks, axisLabel: {hideOverlap: true, fontSize: 10}},
    yAxis: {type: "value", minInterval: 1, axisLabel: {fontSize: 10}},
    series: [{name: d.labels.showings, type: "bar", data: d.showings, itemStyle: {color: "#0f5e9c"}},
             {name: d.labels.clients, type: "line", data: d.clients, itemStyle: {color: "#d9822b"}, lineStyle: {color: "#d9822b"}}]
  });
  box.dataset.drawn = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});

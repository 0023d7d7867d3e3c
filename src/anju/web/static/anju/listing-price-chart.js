// listings/detail: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("price-chart");
  if (!box || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("price-data").textContent);
  var chart = echarts.init(box);
  chart.setOption({
    grid: {left: 48, right: 16, top: 32, bottom: 28},
    tooltip: {trigger: "axis", valueFormatter: function (v) { return v + " " + data.unit; }},
    xAxis: {type: "time", minInterval: 86400000, axisLabel: {formatter: "{M}月{d}日", hideOverlap: true}},
    yAxis: {type: "value", scale: true, name: data.unit, nameTextStyle: {align: "left"}},
    series: [{type: "line", step: "end", data: data.points, symbolSize: 6, lineStyle: {color: "#0f5e9c"}, itemStyle: {color: "#0f5e9c"}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});

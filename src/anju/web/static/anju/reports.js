// 报表: draws the report's chart from the JSON in #report-data; a click on a bar or a funnel layer
// opens the records behind it, as the numbers under the chart do.
(function () {
  "use strict";
  var BLUE = "#0f5e9c";
  var COLORS = ["#0f5e9c", "#2f7fbf", "#4f9bd4", "#d9822b", "#2e8b57", "#8a96a3"];

  function options(d) {
    if (d.kind === "funnel") {
      var max = Math.max.apply(null, d.values.concat([1]));
      return {
        animation: false,
        color: COLORS,
        tooltip: {trigger: "item", formatter: function (p) { return p.name + "：" + p.value; }},
        series: [{
          type: "funnel", sort: "none", left: 8, right: 8, top: 8, bottom: 8, min: 0, max: max, minSize: "12%",
          label: {show: true, position: "inside", color: "#fff", fontSize: 12, formatter: function (p) { return p.name + " " + p.value; }},
          data: d.labels.map(function (name, i) { return {name: name, value: d.values[i]}; })
        }]
      };
    }
    return {
      animation: false,
      grid: {left: 8, right: 32, top: 8, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      xAxis: {type: "value", axisLabel: {fontSize: 10, hideOverlap: true}},
      yAxis: {type: "category", inverse: true, data: d.labels, axisLabel: {fontSize: 11}},
      series: [{
        type: "bar", itemStyle: {color: BLUE},
        label: {show: true, position: "right", fontSize: 10, formatter: function (p) { return p.value == null ? "—" : p.value + " " + d.units[p.dataIndex]; }},
        data: d.values
      }]
    };
  }

  function draw() {
    var source = document.getElementById("report-data");
    var box = document.querySelector("[data-report-chart]");
    if (!source || !box || !window.echarts) { return; }
    var d = JSON.parse(source.textContent);
    var old = echarts.getInstanceByDom(box);
    if (old) { old.dispose(); }
    var chart = echarts.init(box, null, {renderer: "svg"});
    chart.setOption(options(d));
    chart.on("click", function (p) {
      var link = d.links[p.dataIndex];
      if (link) { window.location.href = link; }
    });
    box.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();

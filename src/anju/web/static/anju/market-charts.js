// market/_charts: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
(function () {
  // Draws every [data-chart] box inside root from the JSON in #market-data; htmx swaps call it again.
  var BLUE = "#0f5e9c", ORANGE = "#d9822b", GREEN = "#2e8b57", GREY = "#8a96a3";
  // containLabel: the grid makes room for every axis label, a second y-axis on the right included.
  function base(data, print) {
    return {animation: !print, grid: {left: 8, right: 8, top: 36, bottom: 8, containLabel: true},
            tooltip: {trigger: "axis"}, legend: {top: 0, textStyle: {fontSize: 11}}};
  }
  // The running month (d.partial) is counted only to today: its bars are drawn faded, never as a whole month.
  function flow(values, data) {
    return values.map(function (v, i) { return i === data.partial ? {value: v, itemStyle: {opacity: 0.35}} : v; });
  }
  function months(data) { return {type: "category", data: data.months, axisLabel: {hideOverlap: true, fontSize: 10}}; }
  function options(kind, d, print) {
    var o = base(d, print), city = d.city, chosen = d.chosen;
    if (kind === "districts") {
      var names = d.districts.names;
      o.grid = {left: 8, right: 24, top: 8, bottom: 8, containLabel: true};
      o.tooltip = {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return v == null ? "—" : Math.round(v) + " " + d.unit; }};
      o.xAxis = {type: "value", axisLabel: {fontSize: 10, hideOverlap: true}};
      o.yAxis = {type: "category", inverse: true, data: names, axisLabel: {fontSize: 11}};
      o.series = [{type: "bar", data: d.districts.unit_price, itemStyle: {color: BLUE},
                   label: {show: true, position: "insideRight", color: "#fff", fontSize: 10, formatter: function (p) { return Math.round(p.value); }}}];
      delete o.legend;
      return o;
    }
    o.xAxis = months(city && city.months.length ? city : chosen);
    if (kind === "price") {
      o.yAxis = {type: "value", scale: true, name: d.unit, nameTextStyle: {align: "left"}, axisLabel: {fontSize: 10}};
      o.series = [];
      if (city && city.months.length) { o.series.push({name: d.city_name, type: "line", data: city.unit_price, connectNulls: true, itemStyle: {color: GREY}, lineStyle: {color: GREY}}); }
      if (chosen) { o.series.push({name: d.chosen_name, type: "line", data: chosen.unit_price, connectNulls: true, itemStyle: {color: BLUE}, lineStyle: {color: BLUE, width: 3}}); }
      return o;
    }
    var s = chosen || city;
    if (kind === "supply") {
      o.yAxis = [{type: "value", name: "套", axisLabel: {fontSize: 10}}, {type: "value", name: "在售", axisLabel: {fontSize: 10}, splitLine: {show: false}}];
      o.series = [{name: "新增", type: "bar", data: flow(s.new_listings, s), itemStyle: {color: BLUE}},
                  {name: "离市", type: "bar", data: flow(s.left, s), itemStyle: {color: GREY}},
                  {name: "月末在市", type: "line", yAxisIndex: 1, data: s.inventory, itemStyle: {color: ORANGE}, lineStyle: {color: ORANGE}}];
      return o;
    }
    if (kind === "cuts") {
      o.yAxis = [{type: "value", name: "次", axisLabel: {fontSize: 10}}, {type: "value", name: "%", axisLabel: {fontSize: 10}, splitLine: {show: false}}];
      o.series = [{name: "降价次数", type: "bar", data: flow(s.cuts, s), itemStyle: {color: GREEN}},
                  {name: "平均降幅 %", type: "line", yAxisIndex: 1, data: s.cut_percent, connectNulls: true, itemStyle: {color: ORANGE}, lineStyle: {color: ORANGE}}];
      return o;
    }
    o.yAxis = {type: "value", name: "天", axisLabel: {fontSize: 10}};
    o.series = [{name: "平均在市天数", type: "line", data: s.days_on_market, connectNulls: true, itemStyle: {color: BLUE}, lineStyle: {color: BLUE}}];
    return o;
  }
  function draw(root) {
    var source = (root || document).querySelector("#market-data");
    if (!source || !window.echarts) { return; }
    var d = JSON.parse(source.textContent);
    (root || document).querySelectorAll("[data-chart]").forEach(function (box) {
      var old = echarts.getInstanceByDom(box);
      if (old) { old.dispose(); }
      var chart = echarts.init(box, null, {renderer: "svg"});
      chart.setOption(options(box.dataset.chart, d, box.dataset.print === "1"));
      box.dataset.drawn = "1";
    });
  }
  function all() { draw(document); }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (box) { var c = echarts.getInstanceByDom(box); if (c) { c.resize(); } });
  });
})();

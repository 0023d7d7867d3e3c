// calculators/index: moved out of the template so the Content-Security-Policy needs no inline script (decision 0022).
(function () {
  function drawMortgageChart() {
    var box = document.getElementById("mortgage-chart");
    var source = document.getElementById("mortgage-chart-data");
    if (!box || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.getInstanceByDom(box) || echarts.init(box, null, {renderer: "svg"});
    chart.setOption({
      grid: {left: 8, right: 12, top: 32, bottom: 8, containLabel: true},
      legend: {top: 0},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return v.toLocaleString("zh-CN", {minimumFractionDigits: 2, maximumFractionDigits: 2}) + " 元"; }},
      xAxis: {type: "category", data: data.years, axisLabel: {hideOverlap: true}},
      yAxis: {type: "value", axisLabel: {formatter: function (v) { return v >= 10000 ? (v / 10000) + "万" : v; }}},
      series: [
        {name: data.labels.principal, type: "bar", stack: "paid", data: data.principal, itemStyle: {color: "#0f5e9c"}},
        {name: data.labels.interest, type: "bar", stack: "paid", data: data.interest, itemStyle: {color: "#f0a030"}}
      ]
    }, true);
    box.dataset.drawn = "1";
  }
  // A submitted calculator shows its answer where the agent is looking: on a phone the form fills the
  // screen, so its result (or the form's error) is scrolled up to the top unless it is there already.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var pane = event.detail.target;
    if (!pane.classList || !pane.classList.contains("tab-pane")) { return; }
    var answer = pane.querySelector("section[data-testid], [role=alert], .is-invalid");
    if (!answer) { return; }
    var top = answer.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 4) { answer.scrollIntoView({block: "start"}); }
  });
  document.addEventListener("DOMContentLoaded", drawMortgageChart);
  document.body.addEventListener("htmx:afterSettle", drawMortgageChart);
  document.addEventListener("shown.bs.tab", function () {
    var box = document.getElementById("mortgage-chart");
    if (box && window.echarts && echarts.getInstanceByDom(box)) { echarts.getInstanceByDom(box).resize(); }
  });
  window.addEventListener("resize", function () {
    var box = document.getElementById("mortgage-chart");
    if (box && window.echarts && echarts.getInstanceByDom(box)) { echarts.getInstanceByDom(box).resize(); }
  });
})();

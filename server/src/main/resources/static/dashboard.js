// Draws the dashboard's charts with Apache ECharts from the numbers the page carries. Each series
// has its own line style, symbol and fill pattern (decal), so no chart is read by colour alone;
// every chart's numbers are also in a table on the page.
(function () {
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var common = {
    aria: { enabled: true, decal: { show: true } },
    animation: false,
    textStyle: { fontFamily: 'system-ui, sans-serif' }
  };
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption(Object.assign({}, common, option));
    window.addEventListener('resize', function () { chart.resize(); });
  }
  var styles = [
    { name: 'Messages sent', key: 'messages', symbol: 'circle', type: 'solid' },
    { name: 'Steps done', key: 'done', symbol: 'triangle', type: 'dashed' },
    { name: 'Steps missed', key: 'missed', symbol: 'rect', type: 'dotted' },
    { name: 'Cases opened', key: 'cases', symbol: 'diamond', type: 'solid' }
  ];
  draw('chart-activity', {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: data.days.map(function (d) { return d.slice(5); }) },
    yAxis: { type: 'value', minInterval: 1 },
    series: styles.map(function (s) {
      return {
        name: s.name, type: 'line', data: data[s.key], symbol: s.symbol, symbolSize: 7,
        showAllSymbol: true,
        lineStyle: { type: s.type, width: 2 }
      };
    })
  });
  draw('chart-funnel', {
    tooltip: { trigger: 'item' },
    series: [{
      type: 'funnel', sort: 'none', left: '5%', width: '60%', minSize: '8%',
      label: { show: true, position: 'right', formatter: '{b}: {c}', color: '#1b1f24' },
      data: data.funnel
    }]
  });
  draw('chart-lanes', {
    tooltip: { trigger: 'axis' },
    grid: { left: 150, right: 40, top: 16, bottom: 40 },
    xAxis: { type: 'value', name: 'hours', nameLocation: 'middle', nameGap: 24 },
    yAxis: {
      type: 'category', data: data.lanes.map(function (l) { return l.lane; }),
      axisLabel: { width: 140, overflow: 'break' }
    },
    series: [{
      type: 'bar', data: data.lanes.map(function (l) { return Math.round(l.hours * 10) / 10; }),
      label: { show: true, position: 'right' }
    }]
  });
})();

// A live line chart in plain SVG: the numbers of one topic (the whole payload, or a JSON field picked in the page),
// the last MaxPoints of them, with the minimum, maximum and time span as labels.
'use strict';
(function (EB) {
  const MaxPoints = 300;
  const Width = 600;
  const Height = 200;
  const Pad = 14;
  const svgNs = 'http://www.w3.org/2000/svg';

  class Chart {
    constructor(svg) {
      this.svg = svg;
      this.points = [];
      this.draw = EB.throttle(() => this.render(), 100);
    }

    clear() {
      this.points = [];
      this.render();
    }

    /** Adds a point (time in ms, value); live points may come before the history fetched meanwhile, so keep time order. */
    add(time, value) {
      this.points.push({ t: time, v: value });
      if (this.points.length > 1 && this.points[this.points.length - 2].t > time) this.points.sort((a, b) => a.t - b.t);
      if (this.points.length > MaxPoints) this.points.splice(0, this.points.length - MaxPoints);
      this.draw();
    }

    render() {
      const svg = this.svg;
      svg.replaceChildren();
      svg.dataset.points = String(this.points.length);
      if (this.points.length === 0) return;
      const values = this.points.map((p) => p.v);
      let min = Math.min(...values);
      let max = Math.max(...values);
      if (min === max) { min -= 1; max += 1; }
      const t0 = this.points[0].t;
      const span = Math.max(1, this.points[this.points.length - 1].t - t0);
      const x = (t) => Pad + ((t - t0) / span) * (Width - 2 * Pad);
      const y = (v) => Height - Pad - ((v - min) / (max - min)) * (Height - 2 * Pad);
      for (const v of [min, (min + max) / 2, max]) {
        svg.append(element('line', { class: 'grid', x1: 0, x2: Width, y1: y(v), y2: y(v) }));
        svg.append(text(2, y(v) - 2, formatNumber(v)));
      }
      const line = element('polyline', {
        points: this.points.length === 1 ? `${Pad},${y(values[0])} ${Width - Pad},${y(values[0])}` : this.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' '),
      });
      svg.append(line);
      svg.append(text(Width - 110, Height - 2, (span / 1000).toFixed(1) + ' s shown'));
    }
  }

  function element(name, attributes) {
    const node = document.createElementNS(svgNs, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    return node;
  }

  function text(x, y, content) {
    const node = element('text', { x: x, y: y });
    node.textContent = content;
    return node;
  }

  function formatNumber(v) {
    return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(Math.round(v * 100) / 100) : v.toFixed(2);
  }

  EB.Chart = Chart;
})(window.EB);

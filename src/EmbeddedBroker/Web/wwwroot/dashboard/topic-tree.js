// The topic tree (MQTT Explorer's view): one node per topic level, with the last value of each topic, a "retained"
// badge while the broker holds a retained message for it, and how many messages were seen. Seeded from
// /api/retained, then fed by the live messages. Nodes are created once and updated in place, sorted by name.
'use strict';
(function (EB) {
  const MaxValueChars = 80;

  class TopicTree {
    constructor(root, onSelect) {
      this.rootList = root;
      this.onSelect = onSelect;
      this.root = { children: new Map(), list: root, depth: -1 };
      this.selected = null;
      this.byTopic = new Map();
      this.filter = '';
    }

    /** Records a message of `topic`: its payload text, and whether it is now the retained one. */
    update(topic, text, retained, live) {
      const node = this.nodeFor(topic);
      node.value = text;
      node.hasValue = true;
      if (live) node.count++;
      // A retained message with an empty payload clears the broker's retained message (MQTT-3.3.1-10).
      if (retained) node.retained = text !== '';
      this.paint(node);
      return node;
    }

    select(topic) {
      if (this.selected) this.selected.row.classList.remove('selected');
      this.selected = this.byTopic.get(topic) || null;
      if (this.selected) this.selected.row.classList.add('selected');
      this.onSelect(topic, this.selected);
    }

    setFilter(text) {
      this.filter = text.trim().toLowerCase();
      for (const [topic, node] of this.byTopic) {
        const show = !this.filter || topic.toLowerCase().includes(this.filter);
        for (let n = node; n && n.li; n = n.parent) {
          if (show) n.li.hidden = false;
          else if (n === node) n.li.hidden = true;
        }
      }
    }

    nodeFor(topic) {
      let node = this.byTopic.get(topic);
      if (node) return node;
      let parent = this.root;
      const levels = topic.split('/');
      levels.forEach((level, i) => {
        let child = parent.children.get(level);
        if (!child) {
          child = this.create(parent, level, levels.slice(0, i + 1).join('/'));
        }
        parent = child;
      });
      return parent;
    }

    create(parent, level, topic) {
      const node = { name: level, topic: topic, parent: parent.li ? parent : null, children: new Map(), count: 0, retained: false, hasValue: false, value: '', depth: parent.depth + 1 };
      node.li = document.createElement('li');
      node.row = document.createElement('div');
      node.row.className = 'node';
      node.row.dataset.topic = topic;
      node.toggle = span('toggle', '');
      node.nameElement = span('name', level === '' ? '(empty)' : level);
      node.badge = span('badge', 'retained');
      node.badge.hidden = true;
      node.countElement = span('count', '');
      node.lastElement = span('last', '');
      node.row.append(node.toggle, node.nameElement, node.badge, node.countElement, node.lastElement);
      node.li.append(node.row);
      node.row.addEventListener('click', (event) => {
        if (node.list && event.target === node.toggle) {
          node.list.hidden = !node.list.hidden;
          node.toggle.textContent = node.list.hidden ? '▸' : '▾';
          return;
        }
        if (node.hasValue) this.select(topic);
        else if (node.list) { node.list.hidden = !node.list.hidden; node.toggle.textContent = node.list.hidden ? '▸' : '▾'; }
      });

      if (!parent.list) {
        parent.list = document.createElement('ul');
        parent.list.hidden = parent.depth >= 1; // the first two levels open
        parent.li.append(parent.list);
        parent.toggle.textContent = parent.list.hidden ? '▸' : '▾';
      }
      const before = [...parent.children.keys()].filter((name) => name > level).sort()[0];
      parent.list.insertBefore(node.li, before === undefined ? null : parent.children.get(before).li);
      parent.children.set(level, node);
      this.byTopic.set(topic, node);
      return node;
    }

    paint(node) {
      node.badge.hidden = !node.retained;
      node.countElement.textContent = node.count > 0 ? '×' + node.count : '';
      node.lastElement.textContent = node.value.length > MaxValueChars ? node.value.slice(0, MaxValueChars) + '…' : node.value;
      node.lastElement.title = node.value.slice(0, 1000);
    }
  }

  function span(className, text) {
    const element = document.createElement('span');
    element.className = className;
    element.textContent = text;
    return element;
  }

  EB.TopicTree = TopicTree;
})(window.EB);

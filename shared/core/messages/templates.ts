/**
 * The default message templates, one per channel part, in the Liquid syntax (liquidjs): the
 * same for every language, the words coming from `t` (the locale's texts) and the event.
 * Facts first: which app, what happened, how severe, when, a link.
 */

export const MESSAGE_PARTS = [
  'email.subject',
  'email.text',
  'email.html',
  'sms.text',
  'slack.text',
  'slack.body',
  'slack.context',
  'chat.text',
  'chat.title',
  'chat.body',
] as const;
export type MessagePart = (typeof MESSAGE_PARTS)[number];

const facts = (
  line: (label: string, value: string) => string,
  acknowledge = line('{{ t.labels.acknowledge }}', '{{ links.acknowledge }}'),
) =>
  [
    line('{{ t.labels.app }}', '{{ app.name }} ({{ app.id }})'),
    line('{{ t.labels.event }}', '{{ event.displayName }} ({{ event.type }})'),
    line('{{ t.labels.severity }}', '{{ event.severityLabel }}'),
    line('{{ t.labels.time }}', '{{ event.time }}'),
    '{% if event.status %}' + line('{{ t.labels.status }}', '{{ event.status }}') + '{% endif %}',
    '{% if event.previousStatus %}' + line('{{ t.labels.previous }}', '{{ event.previousStatus }} ({{ event.since }})') + '{% endif %}',
    '{% if link %}' + line('{{ t.labels.link }}', '{{ link }}') + '{% endif %}',
    '{% if links.acknowledge %}' + acknowledge + '{% endif %}',
  ].join('');

export const DEFAULT_TEMPLATES: Record<MessagePart, string> = {
  'email.subject': '[{{ app.name }}] {% if event.severity != "info" %}{{ event.severityLabel | upcase }}: {% endif %}{{ event.headline }}',
  'email.text':
    '{{ event.headline }}\n\n{% if event.message %}{{ event.message }}\n\n{% endif %}' +
    facts((label, value) => `${label}: ${value}\n`) +
    '\n{{ t.sentBy }} · {{ t.labels.delivery }} {{ delivery.id }}\n',
  'email.html':
    '<!doctype html><html><body style="font-family:sans-serif">' +
    '<h2>{{ event.headline }}</h2>{% if event.message %}<p style="white-space:pre-wrap">{{ event.message }}</p>{% endif %}<table>' +
    facts(
      (label, value) => `<tr><th align="left">${label}</th><td>${value}</td></tr>`,
      '<tr><td colspan="2"><p><a href="{{ links.acknowledge }}" style="display:inline-block;padding:8px 14px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px">{{ t.labels.acknowledge }}</a></p></td></tr>',
    ) +
    '</table><p style="color:#888">{{ t.sentBy }} · {{ t.labels.delivery }} {{ delivery.id }}</p></body></html>',
  // One line: a group's notification says its count and kinds in the headline, not its list.
  'sms.text':
    '{{ app.name }}: {{ event.headline }}{% if event.severity != "info" %} [{{ event.severityLabel }}]{% endif %}{% if event.message and group == nil %} - {{ event.message }}{% endif %}',
  'slack.text': '{{ app.name }}: {{ event.headline }} ({{ event.severityLabel }})',
  'slack.body': '{{ event.mark }} *{{ app.name }}*: {{ event.headline }}{% if event.message %}\n{{ event.message }}{% endif %}',
  'slack.context':
    '*{{ t.labels.event }}:* {{ event.displayName }} ({{ event.type }}) · *{{ t.labels.severity }}:* {{ event.severityLabel }} · *{{ t.labels.time }}:* {{ event.time }}' +
    '{% if event.previousStatus %} · *{{ t.labels.previous }}:* {{ event.previousStatus }} ({{ event.since }}){% endif %}{% if link %} · <{{ link }}|{{ t.labels.link }}>{% endif %}' +
    '{% if links.acknowledge %} · <{{ links.acknowledge }}|{{ t.labels.acknowledge }}>{% endif %}',
  'chat.text':
    '{{ event.mark }} {{ app.name }}: {{ event.headline }} ({{ event.severityLabel }}){% if event.message %}\n{{ event.message }}{% endif %}\n{{ event.displayName }} · {{ event.time }}{% if link %} · {{ link }}{% endif %}' +
    '{% if links.acknowledge %}\n{{ t.labels.acknowledge }}: {{ links.acknowledge }}{% endif %}',
  // Title and body apart: chat cards and embeds, push notifications, incident summaries.
  'chat.title': '{{ app.name }}: {{ event.headline }}',
  'chat.body':
    '{% if event.message %}{{ event.message }}\n{% endif %}{{ event.displayName }} · {{ event.severityLabel }} · {{ event.time }}' +
    '{% if event.previousStatus %}\n{{ t.labels.previous }}: {{ event.previousStatus }} ({{ event.since }}){% endif %}{% if link %}\n{{ link }}{% endif %}' +
    '{% if links.acknowledge %}\n{{ t.labels.acknowledge }}: {{ links.acknowledge }}{% endif %}',
};

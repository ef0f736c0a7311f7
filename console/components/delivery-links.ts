import { eventIdOfDelivery } from '../../shared/delivery-ids.js';
import type { Delivery } from '../api.js';
import { html } from '../html.js';
import { href } from '../router.js';

/** A link to another delivery of the log, opened beside it among its event's deliveries. */
export function DeliveryLink({ appId, id }: { appId: string; id: string }) {
  return html`<a href=${href(['apps', appId, 'deliveries', id], { eventId: eventIdOfDelivery(id) })}><code>${id}</code></a>`;
}

type Linked = Pick<Delivery, 'escalation' | 'failoverOf' | 'failoverBy' | 'failedOverTo'>;

/** "step 2 (round 1)": the step of an escalation policy that made a delivery. */
const stepText = (e: NonNullable<Linked['escalation']>) => `step ${e.step}${e.round > 1 ? ` (round ${e.round})` : ''}`;

/**
 * How a delivery stands to the others (issue 18), as facts of its panel: the escalation step
 * that made it, the delivery it fails over for (and whose failover, which entry), the ones that
 * stood in for it. Nothing for a delivery that has none (every one stored before).
 */
export function DeliveryLinkFacts({
  appId,
  delivery: d,
  notifierName,
}: {
  appId: string;
  delivery: Linked;
  notifierName: (id: string) => string;
}) {
  return html`${
    d.escalation
      ? html`<dt>Escalation</dt>
          <dd class="escalation-step">${stepText(d.escalation)} of ${notifierName(d.escalation.notifierId)}</dd>`
      : null
  }
  ${
    d.failoverOf
      ? html`<dt>Failover of</dt>
          <dd class="failover-of">
            <${DeliveryLink} appId=${appId} id=${d.failoverOf} />
            ${d.failoverBy ? html` <span class="muted">(${notifierName(d.failoverBy.notifierId)}'s failover, entry ${d.failoverBy.entry})</span>` : null}
          </dd>`
      : null
  }
  ${
    d.failedOverTo?.length
      ? html`<dt>Failed over to</dt>
          <dd class="failed-over-to">${d.failedOverTo.map((id, i) => html`${i ? ', ' : ''}<${DeliveryLink} appId=${appId} id=${id} />`)}</dd>`
      : null
  }`;
}

/** The same, short, under a row of the log: "step 2", "failover of dlv_…", "failed over to dlv_…". */
export function DeliveryLinkNotes({ appId, delivery: d }: { appId: string; delivery: Linked }) {
  if (!d.escalation && !d.failoverOf && !d.failedOverTo?.length) return null;
  return html`<div class="muted small delivery-links">
    ${d.escalation ? html`<span class="escalation-step">${stepText(d.escalation)}</span> ` : null}
    ${d.failoverOf ? html`<span class="failover-of">failover of <${DeliveryLink} appId=${appId} id=${d.failoverOf} /></span> ` : null}
    ${
      d.failedOverTo?.length
        ? html`<span class="failed-over-to">failed over to ${d.failedOverTo.map((id, i) => html`${i ? ', ' : ''}<${DeliveryLink} appId=${appId} id=${id} />`)}</span>`
        : null
    }
  </div>`;
}

import { useState } from 'preact/hooks';
import { api, call, type Schemas } from '../api/client';
import { formatDateTime, useI18n, type Key, type Lang } from '../lib/i18n';
import { Async, ConfirmDialog, useAsync } from '../lib/ui';

type Policy = Schemas['PolicyCardResponseDto']['policy'];
type NumberField = 'periodDays' | 'graceDays' | 'trialDays';
const NUMBER_FIELDS: NumberField[] = ['periodDays', 'graceDays', 'trialDays'];

/** What a change means for customers, in words, before it is saved. */
function effect(field: keyof Policy, value: string | number, lang: Lang): string {
  const sv = lang === 'sv';
  switch (field) {
    case 'periodDays':
      return sv
        ? `En betald period blir ${value} dagar; gäller perioder som börjar efter ändringen.`
        : `A paid period becomes ${value} days; applies to periods that start after the change.`;
    case 'graceDays':
      return sv
        ? `Ett obetalt Pro-konto behåller full åtkomst i ${value} dagar efter periodens slut (respit) innan det nedgraderas.`
        : `An unpaid Pro account keeps full access for ${value} days after its period end before it is downgraded.`;
    case 'trialDays':
      return sv
        ? `Nya provperioder blir ${value} dagar; pågående provperioder ändras inte.`
        : `New trials last ${value} days; running trials do not change.`;
    case 'signUpPlan':
      return value === 'trial'
        ? sv
          ? 'Nya organisationer börjar med en provperiod.'
          : 'New organizations start on a trial.'
        : sv
          ? 'Nya organisationer börjar på gratisplanen.'
          : 'New organizations start on the free plan.';
    case 'afterGrace':
      return value === 'free'
        ? sv
          ? 'Efter respiten blir kontot gratis (utan spärr).'
          : 'After grace the account becomes free (not suspended).'
        : sv
          ? 'Efter respiten blir kontot gratis och spärrat (läsläge) tills en betalning kommer.'
          : 'After grace the account becomes free and suspended (read-only) until a payment arrives.';
    case 'freeAccess':
      return value === 'full'
        ? sv
          ? 'Gratisplanen får full åtkomst.'
          : 'The free plan gets full access.'
        : sv
          ? 'Gratisplanen blir läsläge.'
          : 'The free plan becomes read-only.';
    default:
      return sv ? `Nytt värde: ${value}.` : `New value: ${value}.`;
  }
}

export function PolicyPage() {
  const { t, lang } = useI18n();
  const [state, retry] = useAsync(() => call(() => api.GET('/api/v1/admin/billing/policy')), []);
  const [draft, setDraft] = useState<Partial<Policy>>({});
  const [reviewing, setReviewing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('policy')}</h1>
      <Async state={state} retry={retry}>
        {(card) => {
          const merged = { ...card.policy, ...draft };
          const changes = (Object.keys(draft) as (keyof Policy)[]).filter((k) => draft[k] !== card.policy[k]);
          return (
            <div class="cards">
              <article class="card wide" data-testid="policy-card">
                <h2>{t('currentRules')}</h2>
                <ul class="rules">
                  {card.rules.map((rule) => (
                    <li key={rule.key}>{rule[lang]}</li>
                  ))}
                </ul>
                <p class="muted small">
                  {t('updated')}: {formatDateTime(card.updatedAt, lang)} {card.updatedBy ?? ''}
                </p>
                {saved && (
                  <p class="notice success" role="status">
                    {t('done')}
                  </p>
                )}
              </article>
              <form
                class="card wide policy-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  setReviewing(true);
                }}
              >
                <h2>{t('review')}</h2>
                {NUMBER_FIELDS.map((field) => (
                  <label class="field" key={field}>
                    <span>{t(field as Key)}</span>
                    <input
                      type="number"
                      min={0}
                      name={field}
                      value={merged[field]}
                      onInput={(e) => setDraft({ ...draft, [field]: Number(e.currentTarget.value) })}
                    />
                  </label>
                ))}
                <label class="field">
                  <span>{t('signUpPlan')}</span>
                  <select
                    value={merged.signUpPlan}
                    onChange={(e) =>
                      setDraft({ ...draft, signUpPlan: e.currentTarget.value as Policy['signUpPlan'] })
                    }
                  >
                    <option value="free">{t('free')}</option>
                    <option value="trial">{t('trial')}</option>
                  </select>
                </label>
                <label class="field">
                  <span>{t('afterGrace')}</span>
                  <select
                    value={merged.afterGrace}
                    onChange={(e) =>
                      setDraft({ ...draft, afterGrace: e.currentTarget.value as Policy['afterGrace'] })
                    }
                  >
                    <option value="free_suspended">{t('free_suspended')}</option>
                    <option value="free">{t('free')}</option>
                  </select>
                </label>
                <label class="field">
                  <span>{t('freeAccess')}</span>
                  <select
                    value={merged.freeAccess}
                    onChange={(e) =>
                      setDraft({ ...draft, freeAccess: e.currentTarget.value as Policy['freeAccess'] })
                    }
                  >
                    <option value="read_only">{t('read_only')}</option>
                    <option value="full">{t('full')}</option>
                  </select>
                </label>
                <h3>{t('policyEffect')}</h3>
                {changes.length === 0 ? (
                  <p class="muted">{t('noChange')}</p>
                ) : (
                  <ul class="effects" data-testid="policy-effects">
                    {changes.map((k) => (
                      <li key={k}>
                        <strong>
                          {t(k as Key) ?? k}: {String(card.policy[k])} → {String(merged[k])}
                        </strong>
                        <br />
                        {effect(k, merged[k], lang)}
                      </li>
                    ))}
                  </ul>
                )}
                <button type="submit" class="primary" disabled={changes.length === 0}>
                  {t('save')}…
                </button>
              </form>
              {reviewing && (
                <ConfirmDialog
                  title={t('policy')}
                  confirmLabel={t('save')}
                  onClose={() => setReviewing(false)}
                  onConfirm={async () => {
                    const patch = Object.fromEntries(changes.map((k) => [k, merged[k]])) as Partial<Policy>;
                    await call(() => api.PATCH('/api/v1/admin/billing/policy', { body: patch }));
                    setDraft({});
                    setSaved(true);
                    retry();
                  }}
                >
                  <ul class="effects">
                    {changes.map((k) => (
                      <li key={k}>{effect(k, merged[k], lang)}</li>
                    ))}
                  </ul>
                </ConfirmDialog>
              )}
            </div>
          );
        }}
      </Async>
    </section>
  );
}

export type Locale = 'sv' | 'en';

export interface RenderedMail {
  subject: string;
  text: string;
}

type Template = (vars: Record<string, string>) => Record<Locale, RenderedMail>;

/**
 * Mail texts, Swedish first with English alternatives, chosen by the recipient's locale. Links carry one-time
 * tokens; the token is also printed on its own line so it can be pasted into the app.
 */
export const MAIL_TEMPLATES = {
  'verify-email': (v) => ({
    sv: {
      subject: 'Bekräfta din e-postadress för WestWallet',
      text: `Hej ${v.name}!\n\nBekräfta din e-postadress och välj ditt lösenord på sidan som länken nedan öppnar (giltig i 24 timmar):\n${v.link}\n\nKod: ${v.token}\n\nHar du inte skapat ett konto kan du bortse från det här meddelandet: utan länken blir inget lösenord giltigt.\n`,
    },
    en: {
      subject: 'Confirm your email address for WestWallet',
      text: `Hi ${v.name}!\n\nConfirm your email address and choose your password on the page the link below opens (valid for 24 hours):\n${v.link}\n\nCode: ${v.token}\n\nIf you did not create an account, you can ignore this message: without the link no password becomes valid.\n`,
    },
  }),
  'reset-password': (v) => ({
    sv: {
      subject: 'Återställ ditt lösenord för WestWallet',
      text: `Hej ${v.name}!\n\nÖppna länken för att välja ett nytt lösenord (giltig i 1 timme):\n${v.link}\n\nKod: ${v.token}\n\nHar du inte bett om detta kan du bortse från meddelandet; ditt lösenord är oförändrat.\n`,
    },
    en: {
      subject: 'Reset your WestWallet password',
      text: `Hi ${v.name}!\n\nOpen the link to choose a new password (valid for 1 hour):\n${v.link}\n\nCode: ${v.token}\n\nIf you did not ask for this, ignore this message; your password is unchanged.\n`,
    },
  }),
  invitation: (v) => ({
    sv: {
      subject: `${v.inviter} bjuder in dig till ${v.organization} i WestWallet`,
      text: `Hej!\n\n${v.inviter} har bjudit in dig till "${v.organization}" som ${v.role}.\nÖppna länken för att gå med (giltig i 7 dagar):\n${v.link}\n\nKod: ${v.token}\n`,
    },
    en: {
      subject: `${v.inviter} invites you to ${v.organization} on WestWallet`,
      text: `Hi!\n\n${v.inviter} has invited you to "${v.organization}" as ${v.role}.\nOpen the link to join (valid for 7 days):\n${v.link}\n\nCode: ${v.token}\n`,
    },
  }),
  // --- billing of WestWallet itself (src/modules/billing); `days` is a number, texts pluralize it ---------------
  'billing-pro-started': (v) => ({
    sv: {
      subject: `WestWallet Pro är aktiverat för ${v.organization}`,
      text: `Hej ${v.name}!\n\n"${v.organization}" har nu WestWallet Pro med full åtkomst t.o.m. ${v.lastDay}.${v.invoiced === 'true' ? '\nEn faktura skickas separat.' : ''}\n\nVälkommen!\n`,
    },
    en: {
      subject: `WestWallet Pro is active for ${v.organization}`,
      text: `Hi ${v.name}!\n\n"${v.organization}" now has WestWallet Pro with full access through ${v.lastDay}.${v.invoiced === 'true' ? '\nAn invoice will be sent separately.' : ''}\n\nWelcome!\n`,
    },
  }),
  'billing-payment-received': (v) => ({
    sv: {
      subject: `Tack för betalningen – ${v.organization} har Pro t.o.m. ${v.lastDay}`,
      text: `Hej ${v.name}!\n\nVi har tagit emot betalningen${v.invoiceId ? ` av faktura ${v.invoiceId}` : ''}. "${v.organization}" har WestWallet Pro med full åtkomst t.o.m. ${v.lastDay}.\n`,
    },
    en: {
      subject: `Thank you for your payment – ${v.organization} has Pro through ${v.lastDay}`,
      text: `Hi ${v.name}!\n\nWe have received the payment${v.invoiceId ? ` of invoice ${v.invoiceId}` : ''}. "${v.organization}" has WestWallet Pro with full access through ${v.lastDay}.\n`,
    },
  }),
  'billing-past-due': (v) => ({
    sv: {
      subject: `Betalning saknas för ${v.organization}`,
      text: `Hej ${v.name}!\n\nPro-perioden för "${v.organization}" har tagit slut utan att betalningen kommit in.${v.invoiceSv ? ` ${v.invoiceSv}` : ''}\nNi behåller full åtkomst t.o.m. ${v.lastDay}. Betalar ni före dess fortsätter Pro utan avbrott; annars går kontot över till gratisplanen${v.suspends === 'true' ? ' och blir skrivskyddat' : ''}.\n`,
    },
    en: {
      subject: `Payment missing for ${v.organization}`,
      text: `Hi ${v.name}!\n\nThe Pro period of "${v.organization}" has ended without payment.${v.invoiceEn ? ` ${v.invoiceEn}` : ''}\nYou keep full access through ${v.lastDay}. Pay before then and Pro continues without interruption; otherwise the account moves to the free plan${v.suspends === 'true' ? ' and becomes read-only' : ''}.\n`,
    },
  }),
  'billing-grace-expired': (v) => ({
    sv: {
      subject: `${v.organization} har gått över till gratisplanen`,
      text: `Hej ${v.name}!\n\nBetalningen för "${v.organization}" kom inte in under respiten, så kontot har gått över till gratisplanen${v.readOnly === 'true' ? ' och är nu skrivskyddat: allt går att läsa, men inget kan ändras' : ''}.\nNär betalningen kommer in får ni Pro igen direkt.\n`,
    },
    en: {
      subject: `${v.organization} has moved to the free plan`,
      text: `Hi ${v.name}!\n\nThe payment for "${v.organization}" did not arrive during the grace period, so the account has moved to the free plan${v.readOnly === 'true' ? ' and is now read-only: everything can be read, but nothing can be changed' : ''}.\nAs soon as the payment arrives you get Pro back.\n`,
    },
  }),
  'billing-trial-started': (v) => ({
    sv: {
      subject: `Provperiod för ${v.organization} har startat`,
      text: `Hej ${v.name}!\n\n"${v.organization}" har fått en provperiod av WestWallet Pro med full åtkomst t.o.m. ${v.lastDay}.\n`,
    },
    en: {
      subject: `Trial for ${v.organization} has started`,
      text: `Hi ${v.name}!\n\n"${v.organization}" has a trial of WestWallet Pro with full access through ${v.lastDay}.\n`,
    },
  }),
  'billing-trial-expired': (v) => ({
    sv: {
      subject: `Provperioden för ${v.organization} har tagit slut`,
      text: `Hej ${v.name}!\n\nProvperioden för "${v.organization}" har tagit slut och kontot har gratisplanen${v.readOnly === 'true' ? ', som är skrivskyddad: allt går att läsa, men inget kan ändras' : ''}.\nHör av dig om ni vill fortsätta med Pro.\n`,
    },
    en: {
      subject: `The trial for ${v.organization} has ended`,
      text: `Hi ${v.name}!\n\nThe trial of "${v.organization}" has ended and the account is on the free plan${v.readOnly === 'true' ? ', which is read-only: everything can be read, but nothing can be changed' : ''}.\nGet in touch if you want to continue with Pro.\n`,
    },
  }),
  'billing-downgraded': (v) => ({
    sv: {
      subject: `${v.organization} har nu gratisplanen`,
      text: `Hej ${v.name}!\n\n"${v.organization}" har flyttats till gratisplanen${v.readOnly === 'true' ? ', som är skrivskyddad: allt går att läsa, men inget kan ändras' : ''}.\n`,
    },
    en: {
      subject: `${v.organization} is now on the free plan`,
      text: `Hi ${v.name}!\n\n"${v.organization}" has been moved to the free plan${v.readOnly === 'true' ? ', which is read-only: everything can be read, but nothing can be changed' : ''}.\n`,
    },
  }),
  'billing-period-ending': (v) => ({
    sv: {
      subject: `Påminnelse: Pro-perioden för ${v.organization} slutar om ${v.days === '1' ? '1 dag' : `${v.days} dagar`}`,
      text: `Hej ${v.name}!\n\nPro-perioden för "${v.organization}" gäller t.o.m. ${v.lastDay} och fakturan är ännu obetald.${v.invoiceSv ? ` ${v.invoiceSv}` : ''}\nBetala i tid så fortsätter Pro utan avbrott.\n`,
    },
    en: {
      subject: `Reminder: the Pro period for ${v.organization} ends in ${v.days === '1' ? '1 day' : `${v.days} days`}`,
      text: `Hi ${v.name}!\n\nThe Pro period of "${v.organization}" runs through ${v.lastDay} and the invoice is still unpaid.${v.invoiceEn ? ` ${v.invoiceEn}` : ''}\nPay in time and Pro continues without interruption.\n`,
    },
  }),
  'billing-grace-ending': (v) => ({
    sv: {
      subject: `Sista påminnelsen: ${v.organization} förlorar full åtkomst om ${v.days === '1' ? '1 dag' : `${v.days} dagar`}`,
      text: `Hej ${v.name}!\n\nBetalningen för "${v.organization}" saknas fortfarande.${v.invoiceSv ? ` ${v.invoiceSv}` : ''}\nFull åtkomst gäller t.o.m. ${v.lastDay}; därefter går kontot över till gratisplanen${v.suspends === 'true' ? ' och blir skrivskyddat' : ''}.\n`,
    },
    en: {
      subject: `Final reminder: ${v.organization} loses full access in ${v.days === '1' ? '1 day' : `${v.days} days`}`,
      text: `Hi ${v.name}!\n\nThe payment for "${v.organization}" is still missing.${v.invoiceEn ? ` ${v.invoiceEn}` : ''}\nFull access lasts through ${v.lastDay}; after that the account moves to the free plan${v.suspends === 'true' ? ' and becomes read-only' : ''}.\n`,
    },
  }),
  'billing-trial-ending': (v) => ({
    sv: {
      subject: `Provperioden för ${v.organization} slutar om ${v.days === '1' ? '1 dag' : `${v.days} dagar`}`,
      text: `Hej ${v.name}!\n\nProvperioden för "${v.organization}" gäller t.o.m. ${v.lastDay}. Därefter gäller gratisplanen${v.readOnly === 'true' ? ', som är skrivskyddad' : ''}, om ni inte går över till Pro.\n`,
    },
    en: {
      subject: `The trial for ${v.organization} ends in ${v.days === '1' ? '1 day' : `${v.days} days`}`,
      text: `Hi ${v.name}!\n\nThe trial of "${v.organization}" runs through ${v.lastDay}. After that the free plan applies${v.readOnly === 'true' ? ', which is read-only' : ''}, unless you move to Pro.\n`,
    },
  }),
  'billing-invitation': (v) => ({
    sv: {
      subject: `Du är inbjuden till WestWallet ${v.plan === 'trial' ? 'Pro (provperiod)' : 'Pro'}`,
      text:
        v.existing === 'true'
          ? `Hej!\n\nWestWallet bjuder in dig till ${v.plan === 'trial' ? 'en provperiod av Pro' : 'Pro'}. Logga in och acceptera inbjudan (giltig i ${v.validDays} dagar) så gäller det direkt för din organisation:\n${v.link}\n\nKod: ${v.token}\n`
          : `Hej!\n\nWestWallet bjuder in dig till ${v.plan === 'trial' ? 'en provperiod av Pro' : 'Pro'}. Skapa ett konto med den här e-postadressen (inbjudan gäller i ${v.validDays} dagar):\n${v.link}\n\nSå snart du har bekräftat e-postadressen gäller det direkt för ditt hushåll.${v.plan === 'trial' ? '' : ' Fakturan kommer i efterhand.'}\n\nKod: ${v.token}\n`,
    },
    en: {
      subject: `You are invited to WestWallet ${v.plan === 'trial' ? 'Pro (trial)' : 'Pro'}`,
      text:
        v.existing === 'true'
          ? `Hi!\n\nWestWallet invites you to ${v.plan === 'trial' ? 'a trial of Pro' : 'Pro'}. Sign in and accept the invitation (valid for ${v.validDays} days) and it applies to your organization at once:\n${v.link}\n\nCode: ${v.token}\n`
          : `Hi!\n\nWestWallet invites you to ${v.plan === 'trial' ? 'a trial of Pro' : 'Pro'}. Create an account with this email address (the invitation is valid for ${v.validDays} days):\n${v.link}\n\nAs soon as you have confirmed the address it applies to your household.${v.plan === 'trial' ? '' : ' The invoice comes afterwards.'}\n\nCode: ${v.token}\n`,
    },
  }),
  // --- notifications (src/modules/notifications): texts are rendered there in the recipient's language ---------
  notification: (v) => ({
    sv: {
      subject: v.subject,
      text: `${v.body}\n\n--\nDu får det här meddelandet från WestWallet. Välj vad du vill höra om under Inställningar > Aviseringar${v.settingsLink ? `:\n${v.settingsLink}` : '.'}\n`,
    },
    en: {
      subject: v.subject,
      text: `${v.body}\n\n--\nYou receive this message from WestWallet. Choose what you hear about under Settings > Notifications${v.settingsLink ? `:\n${v.settingsLink}` : '.'}\n`,
    },
  }),
  'mass-mail': (v) => ({
    sv: {
      subject: v.subject,
      text: `${v.body}\n\n--\nVill du inte få utskick från WestWallet? Avregistrera dig här:\n${v.unsubscribeLink}\n`,
    },
    en: {
      subject: v.subject,
      text: `${v.body}\n\n--\nDon't want announcements from WestWallet? Unsubscribe here:\n${v.unsubscribeLink}\n`,
    },
  }),
  'webhook-endpoint-disabled': (v) => ({
    sv: {
      subject: `Webhooken "${v.endpoint}" i ${v.organization} är avstängd`,
      text: `Hej ${v.name}!\n\nWestWallet har stängt av webhooken "${v.endpoint}" (${v.url}) i "${v.organization}": ${v.reason === 'gone' ? 'mottagaren svarade 410 Gone, alltså att adressen inte längre finns' : `mottagaren har inte tagit emot något sedan ${v.since} (5 dagar)`}.\n\nInga fler händelser skickas dit. Rätta adressen eller mottagaren, slå på webhooken igen och skicka om det som missades (Inställningar → Webhooks → Skicka om sedan).\n`,
    },
    en: {
      subject: `The webhook "${v.endpoint}" of ${v.organization} is disabled`,
      text: `Hi ${v.name}!\n\nWestWallet disabled the webhook "${v.endpoint}" (${v.url}) of "${v.organization}": ${v.reason === 'gone' ? 'the receiver answered 410 Gone, meaning the address no longer exists' : `the receiver has accepted nothing since ${v.since} (5 days)`}.\n\nNo more events are sent there. Fix the address or the receiver, enable the webhook again and replay what was missed (Settings → Webhooks → Replay since).\n`,
    },
  }),
  // --- reports (src/modules/reports): the monthly report, linked (the file needs a sign-in and expires) ---------
  'report-monthly': (v) => ({
    sv: {
      subject: `Månadsrapport ${v.period} för ${v.organization}`,
      text: `Hej ${v.name}!\n\nMånadsrapporten för "${v.organization}", ${v.period}, är klar.\nInkomster: ${v.income}\nUtgifter: ${v.expense}\nNetto: ${v.net}\n\nHämta rapporten som PDF (logga in; länken gäller i ${v.days} dagar):\n${v.link}\n\n--\nDu får månadsrapporten eftersom du har valt det. Stäng av den under Rapporter > Månadsrapport per e-post.\n`,
    },
    en: {
      subject: `Monthly report ${v.period} for ${v.organization}`,
      text: `Hi ${v.name}!\n\nThe monthly report of "${v.organization}", ${v.period}, is ready.\nIncome: ${v.income}\nExpenses: ${v.expense}\nNet: ${v.net}\n\nDownload the report as a PDF (sign in; the link works for ${v.days} days):\n${v.link}\n\n--\nYou receive the monthly report because you asked for it. Turn it off under Reports > Monthly report by email.\n`,
    },
  }),
} satisfies Record<string, Template>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export function renderMail(name: string, locale: Locale, vars: Record<string, string>): RenderedMail {
  const template = (MAIL_TEMPLATES as Record<string, Template>)[name];
  if (!template) throw new Error(`Unknown mail template ${name}`);
  return template(vars)[locale];
}

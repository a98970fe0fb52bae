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
      text: `Hej ${v.name}!\n\nBekräfta din e-postadress genom att öppna länken nedan (giltig i 24 timmar):\n${v.link}\n\nKod: ${v.token}\n\nHar du inte skapat ett konto kan du bortse från det här meddelandet.\n`,
    },
    en: {
      subject: 'Confirm your email address for WestWallet',
      text: `Hi ${v.name}!\n\nConfirm your email address by opening the link below (valid for 24 hours):\n${v.link}\n\nCode: ${v.token}\n\nIf you did not create an account, you can ignore this message.\n`,
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
} satisfies Record<string, Template>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;

export function renderMail(name: string, locale: Locale, vars: Record<string, string>): RenderedMail {
  const template = (MAIL_TEMPLATES as Record<string, Template>)[name];
  if (!template) throw new Error(`Unknown mail template ${name}`);
  return template(vars)[locale];
}

import { byQuality } from '../../../lib/http/quality-values';
import type { UnreadableForm } from './unsubscribe-request';

/** The languages of the unsubscribe pages; English is the fallback. */
export const PAGE_LOCALES = ['en', 'fr'] as const;
export type PageLocale = (typeof PAGE_LOCALES)[number];

export interface PageText {
  title: string;
  confirmHeading: (category: string) => string;
  confirmBody: (category: string) => string;
  leaveCategory: (category: string) => string;
  leaveAll: string;
  doneCategory: (category: string) => string;
  doneCategoryMore: string;
  doneAll: string;
  effective: string;
  invalidTitle: string;
  invalidBody: string;
  deadLinkBody: string;
  badRequestTitle: string;
  badRequestBody: (field: string) => string;
  unreadableTitle: string;
  unreadableBody: Record<UnreadableForm, string>;
  sendAgain: string;
}

export const PAGE_TEXT: Record<PageLocale, PageText> = {
  en: {
    title: 'Unsubscribe',
    confirmHeading: (c) => `Unsubscribe from “${c}”?`,
    confirmBody: (c) => `You will stop receiving “${c}” messages. You can also stop every message we send you.`,
    leaveCategory: (c) => `Unsubscribe from “${c}”`,
    leaveAll: 'Unsubscribe from all messages',
    doneCategory: (c) => `You are unsubscribed from “${c}”.`,
    doneCategoryMore: 'Other messages will still reach you. To stop them all:',
    doneAll: 'You are unsubscribed from all messages.',
    effective: 'This takes effect immediately.',
    invalidTitle: 'This link is not valid',
    invalidBody:
      'It may have been copied incompletely. Nothing was changed. Please use the unsubscribe link of a recent message.',
    deadLinkBody: 'It may have been copied incompletely, or the message it came from is no longer available.',
    badRequestTitle: 'This request could not be understood',
    badRequestBody: (field) => `The field “${field}” is missing or invalid. Nothing was changed.`,
    unreadableTitle: 'This form could not be read',
    unreadableBody: {
      type: 'It was sent in a format this page does not accept. Nothing was changed.',
      size: 'It was larger than this page accepts. Nothing was changed.',
      damaged: 'It arrived incomplete or damaged. Nothing was changed.',
    },
    sendAgain: 'Please open the unsubscribe link in the message again.',
  },
  fr: {
    title: 'Désabonnement',
    confirmHeading: (c) => `Se désabonner de « ${c} » ?`,
    confirmBody: (c) =>
      `Vous ne recevrez plus les messages « ${c} ». Vous pouvez aussi arrêter tous les messages que nous vous envoyons.`,
    leaveCategory: (c) => `Me désabonner de « ${c} »`,
    leaveAll: 'Me désabonner de tous les messages',
    doneCategory: (c) => `Votre désabonnement de « ${c} » est enregistré.`,
    doneCategoryMore: 'Les autres messages continueront de vous parvenir. Pour tout arrêter :',
    doneAll: 'Votre désabonnement de tous les messages est enregistré.',
    effective: 'Il prend effet immédiatement.',
    invalidTitle: 'Ce lien n’est pas valide',
    invalidBody:
      'Il a peut-être été copié de façon incomplète. Rien n’a été modifié. Utilisez le lien de désabonnement d’un message récent.',
    deadLinkBody: 'Il a peut-être été copié de façon incomplète, ou le message d’où il vient n’est plus disponible.',
    badRequestTitle: 'Cette demande est incomplète',
    badRequestBody: (field) => `Le champ « ${field} » manque ou n’est pas valide. Rien n’a été modifié.`,
    unreadableTitle: 'Ce formulaire n’a pas pu être lu',
    unreadableBody: {
      type: 'Il a été envoyé dans un format que cette page n’accepte pas. Rien n’a été modifié.',
      size: 'Il dépasse la taille que cette page accepte. Rien n’a été modifié.',
      damaged: 'Il est arrivé incomplet ou endommagé. Rien n’a été modifié.',
    },
    sendAgain: 'Ouvrez de nouveau le lien de désabonnement du message.',
  },
};

/**
 * The page language: an explicit `lang` (the form carries it through the POST), else the language of
 * the message the link came in (`messageLocale`), else the best match of the browser's Accept-Language
 * by quality, else English; each only when the page is written in it.
 */
export function pickLocale(
  requested: string | undefined,
  acceptLanguage: string | undefined,
  messageLocale?: string,
): PageLocale {
  const known = (tag: string) => PAGE_LOCALES.find((l) => tag.toLowerCase().split('-')[0] === l);
  for (const given of [requested, messageLocale]) {
    const locale = given ? known(given) : undefined;
    if (locale) return locale;
  }
  for (const { value } of byQuality(acceptLanguage)) {
    const locale = known(value);
    if (locale) return locale;
  }
  return 'en';
}

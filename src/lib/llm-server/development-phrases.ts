/**
 * Phrase lists of the development LLM. `{name}` is the journey's name, `{keyword}` its heaviest keyword,
 * `{related}` its first related journey. They promise nothing (no prices, offers or figures), so the
 * product's copy validation accepts them on their merits.
 */
export interface StagePhrases {
  title: string[];
  body: string[];
  subject: string[];
  preheader: string[];
  intro: string[];
}

export type CopyPhrases = Record<'ongoing' | 'ended', StagePhrases>;

export const RELATED_FACETS = [
  'Color Palettes',
  'Storage Ideas',
  'Lighting Ideas',
  'Small Space Tips',
  'Weekend Projects',
  'Styling Ideas',
  'Planning Checklist',
  'Inspiration Board',
  'Beginner Guide',
  'Seasonal Ideas',
];

export const COPY_PHRASES: Record<string, CopyPhrases> = {
  en: {
    ongoing: {
      title: [
        'Your {name}, one step further',
        'Still working on {name}?',
        'Next up for your {name}',
        '{name}: new ideas',
      ],
      body: [
        'Fresh ideas on {keyword} are waiting for you.',
        'See what is new around {keyword} and {related}.',
        'Keep going: new {keyword} ideas picked for where you are now.',
        'A few {keyword} ideas to move your {name} forward.',
      ],
      subject: ['Your {name}: what to look at next', 'New ideas for your {name}', 'Keep your {name} going'],
      preheader: ['Picked from your {keyword} searches.', 'More on {keyword}, and a look at {related}.'],
      intro: [
        'You have been busy with your {name}. Here are the ideas on {keyword} that fit where you are now, and a few from {related} you may like too.',
        'Your {name} is moving along. We gathered what is new on {keyword} so the next step is easier.',
      ],
    },
    ended: {
      title: ['Back to {name}?', 'Remember your {name}?', 'Ideas from your {name}'],
      body: [
        'New {keyword} ideas since you last looked.',
        'Your {name} ideas are still here, with a few new ones on {keyword}.',
      ],
      subject: ['Back to your {name}?', 'Your {name} ideas are still here'],
      preheader: ['New ideas on {keyword} since your last visit.', 'And a look at {related}.'],
      intro: [
        'It has been a while since your {name}. Here is what is new on {keyword}, in case you come back to it.',
        'Your {name} ideas are waiting for you, with fresh ones on {keyword} and {related}.',
      ],
    },
  },
  fr: {
    ongoing: {
      title: ['Votre projet {name} avance', 'La suite pour votre {name}', 'Des idées pour votre {name}'],
      body: [
        'De nouvelles idées sur {keyword} vous attendent dans votre fil.',
        'Voici ce qui est nouveau pour {keyword} et pour {related}.',
      ],
      subject: ['Votre {name} : la suite', 'De nouvelles idées pour votre {name}'],
      preheader: ['Choisies pour vous à partir de vos recherches sur {keyword}.', 'Et un coup d’œil sur {related}.'],
      intro: [
        'Vous avancez sur votre {name}. Voici les idées sur {keyword} qui vous correspondent en ce moment.',
        'Vous avancez sur votre {name}. Voici les idées sur {keyword} qui vous correspondent en ce moment, et quelques pistes pour {related}.',
      ],
    },
    ended: {
      title: ['De retour sur votre {name} ?', 'Vos idées pour {name}'],
      body: ['De nouvelles idées sur {keyword} depuis votre dernière visite.'],
      subject: ['Votre {name} vous attend'],
      preheader: ['Les nouveautés sur {keyword} depuis votre dernière visite.'],
      intro: ['Cela fait un moment depuis votre {name}. Voici ce qui est nouveau sur {keyword}, si vous y revenez.'],
    },
  },
  de: {
    ongoing: {
      title: ['Ihr Projekt {name} geht weiter', 'Neue Ideen für {name}', 'Der nächste Schritt für {name}'],
      body: ['Neue Ideen zu {keyword} warten auf Sie.', 'Das ist neu zu {keyword} und zu {related}, passend für Sie.'],
      subject: ['Ihr {name}: der nächste Schritt', 'Neue Ideen für Ihr {name}'],
      preheader: ['Ausgewählt nach Ihren Suchen zu {keyword}.', 'Und ein Blick auf {related}.'],
      intro: [
        'Sie sind mitten in Ihrem {name}. Hier sind die Ideen zu {keyword}, die jetzt zu Ihnen passen.',
        'Sie sind mitten in Ihrem {name}. Hier sind die Ideen zu {keyword}, die jetzt zu Ihnen passen, und ein paar zu {related}.',
      ],
    },
    ended: {
      title: ['Zurück zu {name}?', 'Ihre Ideen für {name}'],
      body: ['Seit Ihrem letzten Besuch gibt es neue Ideen zu {keyword}.'],
      subject: ['Ihr {name} wartet auf Sie'],
      preheader: ['Das ist neu zu {keyword} seit Ihrem letzten Besuch.'],
      intro: [
        'Ihr {name} ist eine Weile her. Hier ist, was es Neues zu {keyword} gibt, falls Sie darauf zurückkommen.',
      ],
    },
  },
  es: {
    ongoing: {
      title: ['Tu proyecto {name} sigue', 'Nuevas ideas para tu {name}'],
      body: ['Te esperan nuevas ideas de {keyword} para tu proyecto.', 'Lo nuevo de {keyword} y de {related} para ti.'],
      subject: ['Tu {name}: el siguiente paso', 'Nuevas ideas para tu {name}'],
      preheader: ['Elegidas a partir de tus búsquedas de {keyword}.'],
      intro: [
        'Estás en medio de tu {name}. Estas son las ideas de {keyword} que encajan con tu momento.',
        'Estás en medio de tu {name}. Estas son las ideas de {keyword} que encajan con tu momento, y algunas de {related}.',
      ],
    },
    ended: {
      title: ['¿Vuelves a tu {name}?'],
      body: ['Hay nuevas ideas de {keyword} desde tu última visita.'],
      subject: ['Tu {name} te espera'],
      preheader: ['Lo nuevo de {keyword} desde tu última visita.'],
      intro: ['Hace tiempo de tu {name}. Esto es lo nuevo de {keyword}, por si vuelves a él.'],
    },
  },
  pt: {
    ongoing: {
      title: ['O seu projeto {name} continua', 'Novas ideias para o seu {name}'],
      body: [
        'Novas ideias de {keyword} estão à sua espera.',
        'O que há de novo em {keyword} e em {related} para você.',
      ],
      subject: ['O seu {name}: o próximo passo', 'Novas ideias para o seu {name}'],
      preheader: ['Escolhidas a partir das suas buscas de {keyword}.'],
      intro: [
        'Você está no meio do seu {name}. Estas são as ideias de {keyword} que combinam com o seu momento.',
        'Você está no meio do seu {name}. Estas são as ideias de {keyword} que combinam com o seu momento, e algumas de {related}.',
      ],
    },
    ended: {
      title: ['De volta ao seu {name}?'],
      body: ['Há novas ideias de {keyword} desde a sua última visita.'],
      subject: ['O seu {name} espera por você'],
      preheader: ['O que há de novo em {keyword} desde a sua última visita.'],
      intro: ['Faz tempo desde o seu {name}. Isto é o que há de novo em {keyword}, caso você volte a ele.'],
    },
  },
  ja: {
    ongoing: {
      title: ['「{name}」の続きはこちら', '「{name}」に新しいアイデアがあります'],
      body: [
        'いま取り組んでいる「{keyword}」について、あなたに合いそうな新しいアイデアをまとめました。ぜひご覧ください。',
        '「{keyword}」と「{related}」の新しいアイデアが届いています。次の一歩の参考にしてください。',
      ],
      subject: ['「{name}」の次の一歩に役立つアイデア'],
      preheader: ['「{keyword}」の検索をもとに、あなたのために選びました。'],
      intro: [
        'いま「{name}」に取り組んでいるあなたへ。「{keyword}」の新しいアイデアをまとめてお届けします。',
        'いま「{name}」に取り組んでいるあなたへ。「{keyword}」の新しいアイデアと、「{related}」のヒントをまとめてお届けします。',
      ],
    },
    ended: {
      title: ['「{name}」をもう一度見てみませんか'],
      body: ['前回のご覧いただいてから、「{keyword}」の新しいアイデアが増えました。また見に来てください。'],
      subject: ['「{name}」の新しいアイデアが届いています'],
      preheader: ['前回から増えた「{keyword}」のアイデアをご紹介します。'],
      intro: ['しばらくぶりの「{name}」。前回から増えた「{keyword}」のアイデアをまとめました。'],
    },
  },
};

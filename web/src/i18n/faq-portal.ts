/** Messages of the faq-portal pages: Italian first; English must provide every key (type-checked). */
export const faqPortalIt = {
};

export const faqPortalEn: Record<keyof typeof faqPortalIt, string> = {
};

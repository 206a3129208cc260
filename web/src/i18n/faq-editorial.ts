/** Messages of the faq-editorial pages: Italian first; English must provide every key (type-checked). */
export const faqEditorialIt = {
};

export const faqEditorialEn: Record<keyof typeof faqEditorialIt, string> = {
};

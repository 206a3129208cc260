/** Messages of the classification pages: Italian first; English must provide every key (type-checked). */
export const classificationIt = {
};

export const classificationEn: Record<keyof typeof classificationIt, string> = {
};

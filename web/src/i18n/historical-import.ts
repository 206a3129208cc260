/** Messages of the historical-import pages: Italian first; English must provide every key (type-checked). */
export const historicalImportIt = {
};

export const historicalImportEn: Record<keyof typeof historicalImportIt, string> = {
};

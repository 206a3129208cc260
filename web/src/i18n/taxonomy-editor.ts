/** Messages of the taxonomy-editor pages: Italian first; English must provide every key (type-checked). */
export const taxonomyEditorIt = {
};

export const taxonomyEditorEn: Record<keyof typeof taxonomyEditorIt, string> = {
};

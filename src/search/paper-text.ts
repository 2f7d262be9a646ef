/** The text of a paper that search reads. */
export interface PaperText {
  title: string;
  abstract: string;
  keywords: string[];
  authors: string[];
}

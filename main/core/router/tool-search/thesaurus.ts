// What a thesaurus gives tool search: the words related to a word of a request or a tool.

/**
 * Groups of words that mean the same in a tool request, looked up word for word. (Looking them up by stem too, so
 * "tickets" finds what "ticket" has, lost recall in the benchmark: frequent inflected words brought too many others.)
 */
export interface Thesaurus {
  related(word: string): readonly string[];
  /** Every word that has related words. */
  readonly words: readonly string[];
}

/**
 * CGRateS's wildcard: as a DestinationId it matches every destination, as a TimingTag every time,
 * as a Subject it is the default profile, and in a Timings list field it means "every value".
 * The native format uses the same word where it means the same thing.
 */
export const CGRATES_ANY = '*any';

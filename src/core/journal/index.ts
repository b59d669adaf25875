export { SentJournal, type JournalEntry, type RecordDetails } from './sentJournal';

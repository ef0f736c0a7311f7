/** Phone numbers, as the sms channel takes them. */
export { target, type SmsTarget } from '../sms/target.js';

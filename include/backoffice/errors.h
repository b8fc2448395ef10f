/**
 * @file backoffice/errors.h
 * @brief Error codes and the thread-local last-error message.
 *
 * Every function that can fail returns 0 on success or one of the negative
 * codes below. Codes are stable: never renumbered, never reused. On failure a
 * message naming the field, record or YAML line:column is kept per thread and
 * read with bo_error_message(); it is cleared on entry to every public
 * function that can fail.
 */
#ifndef BACKOFFICE_ERRORS_H
#define BACKOFFICE_ERRORS_H

#include "common.h"

BO_BEGIN_DECLS

/** Result codes. Only ever appended; a retired code keeps its number. */
typedef enum bo_error_code {
    BO_OK = 0,            /**< success */
    BO_ITEROVER = 1,      /**< a cursor has no more rows (not an error) */
    BO_ERROR = -1,        /**< internal error; the message says more */
    BO_ENOMEM = -2,       /**< an allocation failed */
    BO_EINVAL = -3,       /**< an argument or field is invalid */
    BO_ENOTFOUND = -4,    /**< the named record does not exist */
    BO_EEXISTS = -5,      /**< a record with that name or key already exists */
    BO_EOVERFLOW = -6,    /**< an amount or quantity would overflow int64 */
    BO_EUNBALANCED = -7,  /**< an entry does not sum to zero per currency */
    BO_ECLOSED = -8,      /**< the account is closed */
    BO_EPERIOD = -9,      /**< the date lies in a closed fiscal period, or in
                               none where the book defines periods */
    BO_ECURRENCY = -10,   /**< unknown currency, or a currency mismatch */
    BO_EUTF8 = -11,       /**< a text field is not valid UTF-8 */
    BO_ETOOLONG = -12,    /**< a text field exceeds its documented limit */
    BO_EDENIED = -13,     /**< the book's actor lacks the permission */
    BO_EBUSY = -14,       /**< the store stayed locked beyond the timeout */
    BO_ECONSTRAINT = -15, /**< the store rejected a change (constraint) */
    BO_EIO = -16,         /**< the store reported an I/O error */
    BO_EFULL = -17,       /**< the disk or database is full */
    BO_ESCHEMA = -18,     /**< the book's schema is newer than this library */
    BO_ECORRUPT = -19,    /**< integrity or audit-chain verification failed */
    BO_ECONFIG = -20,     /**< the YAML configuration is invalid */
    BO_ELIMIT = -21,      /**< input exceeds a size, depth or alias limit */
    BO_ESTATE = -22,      /**< the call is not allowed in the current state */
    BO_EDRIVER = -23,     /**< no driver for the URI, or a driver failure */
    BO_ECONFLICT = -24,   /**< serialization conflict persisted past retries */
    BO_EKEYREUSE = -25,   /**< idempotency key reused for different content */
    BO_ENOTSUP = -26,     /**< the operation is not supported here */
    BO_ESTOCK = -27,      /**< not enough stock available (on hand - reserved) */
    BO_EPAYMENT = -28,    /**< payments do not match the amount due */
    BO_ENORATE = -29,     /**< no exchange rate for the currency and date */
    BO_ESEQUENCE = -30,   /**< a numbering series would skip or repeat */
    BO_EEVAL = -31,       /**< a rule could not be evaluated (division by zero) */
    BO_EKEY = -32,        /**< the encryption key is missing or wrong */
    BO_ELOCKED = -33,     /**< the record is checked out by another actor */
    BO_ERETAINED = -34,   /**< retention has not ended or a legal hold applies */
    BO_EDATE = -35,       /**< a date lies before a record it depends on (money
                               allocated before it was received or owed) */
    BO_EPENDING = -36,    /**< the command needs approval: it was stored as a
                               pending request (bo_approval_last()) */
    BO_EEXPIRED = -37,    /**< the approval request expired, a change-feed
                               position lies before the events kept, a lot
                               is past its expiry date (a sale of it), or a
                               coupon is past its dates */
    BO_ECHECKDIGIT = -38, /**< a number's check digit is wrong (an SSCC, a GTIN) */
    BO_ECLONE = -39,      /**< a terminal's file was copied: its instance nonce
                               is not the one the central store knows */
    BO_ESERIAL = -40,     /**< a serial number is not where the movement says:
                               received twice, sold twice, not in stock there */
    BO_EBARCODE = -41,    /**< a malformed barcode (a GS1 element string): the
                               message names the position and the AI */
    BO_EUNIT = -42        /**< the item has no such unit, or a quantity does not
                               convert exactly between its units */
} bo_error_code;

/**
 * The message of the last failure on this thread. Never NULL: "" when the
 * last public call succeeded. Valid until the next libbackoffice call on this
 * thread.
 */
BO_EXTERN(const char *) bo_error_message(void);

/** The code of the last failure on this thread (BO_OK after a success). */
BO_EXTERN(int) bo_error_code_last(void);

/**
 * A short static description of a code ("unbalanced entry"), or
 * "unknown error" for a number that is not a code. Never NULL.
 */
BO_EXTERN(const char *) bo_error_name(int code);

BO_END_DECLS

#endif

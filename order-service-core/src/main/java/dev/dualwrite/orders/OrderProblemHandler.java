package dev.dualwrite.orders;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every client mistake as {@code application/problem+json} (RFC 9457), validation errors with the offending fields;
 * Spring MVC's own handler covers the rest (415, 405, a malformed id, ...). No stack traces reach the client.
 */
@RestControllerAdvice
public class OrderProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OrderProblemHandler.class);

    @ExceptionHandler
    ProblemDetail notFound(OrderNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Order not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(IllegalTransitionException e) {
        return problem(HttpStatus.CONFLICT, "Transition not allowed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", e.getMessage());
    }

    /**
     * The database is unreachable, or went away during the request: retrying is safe with an Idempotency-Key (a
     * failure at commit leaves the outcome unknown, and the key makes the retry answer the order if it was written).
     */
    @ExceptionHandler({
        TransientDataAccessException.class,
        RecoverableDataAccessException.class,
        DataAccessResourceFailureException.class,
        CannotCreateTransactionException.class
    })
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("Answering 503: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Service unavailable",
                        "The database is not reachable now. Retry later; with the same Idempotency-Key a retried"
                                + " create answers the order if this attempt wrote it."));
    }

    /** A bug, not the client's mistake: logged here, answered without internals. */
    @ExceptionHandler
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected failure answering a request", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error",
                "The service failed to answer; the details are in its log.");
    }

    /** Bean validation of the body and the parameters together (the controller has constrained parameters). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = e.getParameterValidationResults().stream()
                .flatMap(result -> result instanceof ParameterErrors body
                        ? body.getFieldErrors().stream().map(OrderProblemHandler::fieldError)
                        : result.getResolvableErrors().stream()
                                .map(error -> Map.<String, Object>of(
                                        "field", parameterName(result.getMethodParameter()),
                                        "message", String.valueOf(error.getDefaultMessage()))))
                .toList();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", "The request has invalid fields.");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (BodySizeLimitFilter.isTooLarge(e)) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                    .body(problem(
                            HttpStatus.CONTENT_TOO_LARGE,
                            "Request body too large",
                            "The body exceeds " + BodySizeLimitFilter.MAX_BYTES + " bytes."));
        }
        return ResponseEntity.badRequest()
                .body(problem(
                        HttpStatus.BAD_REQUEST,
                        "Malformed request body",
                        "The body is not a JSON order: "
                                + firstLine(e.getMostSpecificCause().getMessage())));
    }

    private static Map<String, Object> fieldError(FieldError error) {
        return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
    }

    private static String parameterName(MethodParameter parameter) {
        var header = parameter.getParameterAnnotation(RequestHeader.class);
        if (header != null) {
            return header.name();
        }
        var param = parameter.getParameterAnnotation(RequestParam.class);
        return param != null && !param.name().isEmpty() ? param.name() : String.valueOf(parameter.getParameterName());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}

package dev.dualwrite.orders;

import dev.dualwrite.events.Pattern;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface OrderRepository extends JpaRepository<Order, UUID> {

    Optional<Order> findByIdAndPattern(UUID id, Pattern pattern);

    Optional<Order> findByPatternAndIdempotencyKey(Pattern pattern, String idempotencyKey);

    List<Order> findByPatternOrderByCreatedAtDesc(Pattern pattern, Limit limit);

    /** Locks the order's row for the rest of the transaction: changes of one order happen one after the other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT o FROM Order o WHERE o.id = :id AND o.pattern = :pattern")
    Optional<Order> findForUpdate(UUID id, Pattern pattern);
}
